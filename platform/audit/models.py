"""The audit log (NEN 7513): append-only, one table per schema, each line chained to the last.

PostgreSQL refuses UPDATE, DELETE and TRUNCATE on the table through triggers
(migration 0002), which hold for every database user, the owner included. The one
way past them is the database function `audit_remove_expired` (migration 0005),
which removes only lines older than the retention period, never less than five years.
A trigger of the database (migration 0007) gives each new line its time, its place in
the region's chain and its hash; the application supplies none of the three.
"""

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _

from meldpunt.encryption import EncryptedJSONField


class AuditAction(models.TextChoices):
    VIEW = "view", _("inzien")
    SEARCH = "search", _("zoeken")
    REFUSED = "refused", _("toegang geweigerd")
    CREATE = "create", _("aanmaken")
    CHANGE = "change", _("wijzigen")
    EXPORT = "export", _("exporteren")
    LOGIN = "login", _("inloggen")
    LOGIN_FAILED = "login_failed", _("mislukte inlogpoging")
    LOGOUT = "logout", _("uitloggen")
    DESTROY = "destroy", _("vernietigen")


class AuditEntry(models.Model):
    # The database's clock: its trigger refuses any other time (see audit.chain).
    at = models.DateTimeField(_("tijdstip"), db_default=Now(), db_index=True)
    # Plain values, not foreign keys: a line must outlive the account and never change.
    user_id = models.BigIntegerField(_("gebruiker-id"), null=True, blank=True)
    user_email = models.CharField(_("gebruiker"), max_length=254, blank=True)
    role = models.CharField(_("rol"), max_length=200, blank=True)
    on_behalf_of = models.CharField(_("namens"), max_length=200, blank=True)
    ip_address = models.GenericIPAddressField(_("adres"), null=True, blank=True)
    action = models.CharField(_("handeling"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("soort object"), max_length=100, blank=True)
    object_id = models.CharField(_("object"), max_length=64, blank=True)
    case_id = models.CharField(_("casus"), max_length=64, blank=True, db_index=True)
    person_id = models.CharField(_("betrokkene"), max_length=64, blank=True)
    grounds = models.CharField(_("grondslag"), max_length=300, blank=True)
    # Codes and counts only; never personal data (those go, encrypted, into `changes`).
    detail = models.JSONField(_("details"), default=dict, blank=True)
    # For a change: {field: [old, new]}, encrypted because a value may be personal.
    changes = EncryptedJSONField(_("oude en nieuwe waarden"), null=True, blank=True)
    # Set by the database's trigger, whatever the application sends: the line's place in
    # the region's chain and sha256(hash of the line before || the line's fields).
    chain_number = models.BigIntegerField(_("plaats in de keten"), null=True, editable=False)
    chain_hash = models.CharField(_("ketenhash"), max_length=64, null=True, editable=False)  # noqa: DJ001 (none: a line the trigger never saw)

    class Meta:
        ordering = ["-at", "-id"]
        # The privacy officer's filters and a person's access overview (case_id and at
        # have their own index).
        indexes = [
            models.Index(fields=["person_id", "at"], name="audit_by_person"),
            models.Index(fields=["user_id", "at"], name="audit_by_user"),
        ]
        # Also how the trigger finds the last line of the chain quickly.
        constraints = [
            models.UniqueConstraint(fields=["chain_number"], name="audit_one_line_per_chain_place")
        ]
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditregels")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_email} {self.action} {self.object_type}"
