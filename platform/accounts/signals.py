"""What the accounts announce to the layers above them, which the platform core never imports.

Sent inside the transaction that makes the change, so that a receiver's writes stand
or fall with it.
"""

from django.dispatch import Signal

# A role grant waits for a second administrator (sender: RoleGrant; grant=the grant).
role_grant_opened = Signal()
# A role grant was confirmed or withdrawn (sender: RoleGrant; grant=the grant).
role_grant_decided = Signal()
