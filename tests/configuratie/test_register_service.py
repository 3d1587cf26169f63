"""The configuration registers' service takes plain values, asks the policy before it
writes anything, and returns what it saved."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_tenants.utils import tenant_context

from audit.models import AuditAction, AuditEntry
from configuratie.models import Partner, PartnerContact
from configuratie.services.register import ContactChange, save_record

PARTNER = {"name": "Jeugdhuis De Brug", "kind": "jeugd", "covenant_status": "geen"}


def test_a_partner_and_its_contact_are_saved_from_plain_values(twente, make_user):
    admin = make_user(twente, "regiobeheerder")
    contact = make_user(twente, "partnercontact")
    with tenant_context(twente):
        saved = save_record(
            Partner(),
            actor=admin,
            values=PARTNER,
            contacts=[ContactChange(None, {"name": "Noor Bakker", "account": contact})],
        )
        assert Partner.objects.get(pk=saved.pk).name == "Jeugdhuis De Brug"
        linked = PartnerContact.objects.get(partner=saved)
        assert (linked.name, linked.account) == ("Noor Bakker", contact)
        changes = AuditEntry.objects.filter(action=AuditAction.CHANGE, user_id=admin.pk)
        assert [line.changes for line in changes] == [{"account": [None, contact.pk]}]


@pytest.mark.parametrize(
    ("roles", "refusal"),
    [(("medewerker",), PermissionDenied), (("regiobeheerder",), ValidationError)],
    ids=["without the right to configure", "linking one's own account"],
)
def test_a_refused_save_writes_nothing(twente, make_user, roles, refusal):
    actor = make_user(twente, *roles)
    with tenant_context(twente):
        count = Partner.objects.count()
        with pytest.raises(refusal):
            save_record(
                Partner(),
                actor=actor,
                values=PARTNER,
                contacts=[ContactChange(None, {"name": "Noor Bakker", "account": actor})],
            )
        assert Partner.objects.count() == count
