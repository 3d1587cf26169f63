"""Accounts. The app lives in every schema: national administrators in the public
schema, each region's staff in that region's schema, so an account exists in one
place only."""

import secrets
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from meldpunt.encryption import EncryptedTextField


class Role(models.Model):
    """A role of DESIGN.md; the rows come from data/roles.json through a data migration."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_nl = models.CharField(_("naam"), max_length=80)
    name_en = models.CharField(_("naam (Engels)"), max_length=80)
    description_nl = models.TextField(_("omschrijving"), blank=True)
    description_en = models.TextField(_("omschrijving (Engels)"), blank=True)

    class Meta:
        ordering = ["name_nl"]
        verbose_name = _("rol")
        verbose_name_plural = _("rollen")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if in_english() else self.name_nl

    @property
    def description(self) -> str:
        return (self.description_en if in_english() else "") or self.description_nl


def in_english() -> bool:
    return (get_language() or "nl").startswith("en")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def active_with_roles(self, *roles: str) -> "models.QuerySet[User]":
        """Active accounts holding any of these roles (each account once)."""
        return self.filter(is_active=True, roles__code__in=roles).distinct()


class User(AbstractBaseUser):
    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=150, blank=True)
    roles = models.ManyToManyField(Role, verbose_name=_("rollen"), blank=True, related_name="users")
    is_active = models.BooleanField(_("actief"), default=True)
    # Only meaningful in the public schema: a platform (national) administrator.
    is_national_admin = models.BooleanField(_("landelijk beheerder"), default=False)
    # A fictitious account created by seed_demo; may skip MFA only in DEMO_MODE with DEBUG.
    is_demo = models.BooleanField(_("demo-account"), default=False)
    date_joined = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def status_label(self) -> str:
        if not self.is_active:
            return _("uitgeschakeld")
        return _("actief") if self.has_usable_password() else _("uitgenodigd")

    def role_codes(self) -> frozenset[str]:
        """Role codes, read once per user object (the policy asks often per request)."""
        if not hasattr(self, "_role_codes"):
            self._role_codes = frozenset(self.roles.values_list("code", flat=True))
        return self._role_codes


class RoleGrant(models.Model):
    """A role that lets an account read cases (or confirm such grants) is asked for
    by one regiobeheerder and takes effect only when a second confirms it: four eyes,
    so that no administrator can give themselves the means to read every case. Where
    a region has no second regiobeheerder, the national administrator confirms."""

    class Status(models.TextChoices):
        OPEN = "open", _("wacht op bevestiging")
        CONFIRMED = "bevestigd", _("bevestigd")
        WITHDRAWN = "ingetrokken", _("ingetrokken")

    account = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="role_grants"
    )
    role = models.ForeignKey(Role, verbose_name=_("rol"), on_delete=models.PROTECT)
    # Who asked and who decided, without an index: a grant is read for its account and
    # joined to them, never looked up by them, and users are never deleted
    # (docs/indexes.md, as workflow.models.cases.acting_user).
    requested_by = models.ForeignKey(
        User,
        verbose_name=_("aangevraagd door"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    requested_at = models.DateTimeField(_("aangevraagd op"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("besloten door"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        db_index=False,
    )
    # A national administrator's account lives in the public schema: no foreign key.
    decided_by_national_admin = models.EmailField(_("besloten door (landelijk)"), blank=True)
    decided_at = models.DateTimeField(_("besloten op"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("roltoekenning")
        verbose_name_plural = _("roltoekenningen")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "role"],
                condition=models.Q(status="open"),
                name="one_open_grant_per_account_and_role",
            )
        ]

    def __str__(self) -> str:
        return f"{self.role} → {self.account}"

    @property
    def decided_by_label(self) -> str:
        if self.decided_by_national_admin:
            return _("landelijk beheerder (%(email)s)") % {"email": self.decided_by_national_admin}
        return str(self.decided_by or "")


class ApiToken(models.Model):
    """A personal API token: a program acting as its owner, in the owner's region only.

    Only a keyed digest of the key is stored (accounts.services.api_key_digest); the
    key itself is shown once, when it is made. `prefix` is the key's first characters:
    enough to recognise a key in a list, far too few to use it.
    """

    user = models.ForeignKey(
        User, verbose_name=_("account"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("naam"), max_length=100)
    prefix = models.CharField(_("begin van de sleutel"), max_length=16)
    key_digest = models.CharField(_("sleuteldigest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)
    expires_at = models.DateTimeField(_("verloopt op"))
    last_used_at = models.DateTimeField(_("laatst gebruikt op"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def is_usable(self, at: datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.revoked_at is None and self.expires_at > at

    @property
    def status_label(self) -> str:
        if self.revoked_at is not None:
            return pgettext_lazy("API-sleutel", "ingetrokken")
        if self.expires_at <= timezone.now():
            return pgettext_lazy("API-sleutel", "verlopen")
        return _("actief")


def new_provider_key() -> str:
    return secrets.token_hex(6)


class IdentityProvider(models.Model):
    """An organisation's OpenID Connect provider through which the accounts of this
    schema (a region's, or the platform's national administrators') may sign in.

    allauth reads these rows through accounts.adapters.IdentityProviderAdapter; they
    live in the schema they serve, so no region sees or uses another's. Signing in
    never creates an account: the provider's verified e-mail address must be one of
    `email_domains` and belong to an active account of this schema.
    """

    # The provider's id in allauth's URLs and in the audit log; random, not a name.
    key = models.SlugField(_("sleutel"), max_length=20, unique=True, default=new_provider_key)
    name = models.CharField(_("naam van de organisatie"), max_length=100)
    issuer = models.URLField(_("issuer-URL"), max_length=300)
    client_id = models.CharField(_("client-id"), max_length=255)
    # Under the keys of this schema (meldpunt.encryption).
    client_secret = EncryptedTextField(_("client-secret"))
    email_domains = ArrayField(
        models.CharField(max_length=253), verbose_name=_("e-maildomeinen"), size=50
    )
    # The `acr` that counts as multi-factor, besides `amr` holding "mfa"; empty: only amr.
    mfa_acr = models.CharField(_("acr voor tweestapsverificatie"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("identiteitsprovider")
        verbose_name_plural = _("identiteitsproviders")

    def __str__(self) -> str:
        return self.name

    def answers_for(self, email: str) -> bool:
        domain = email.rpartition("@")[2].lower()
        return domain in {d.lower() for d in self.email_domains}

    def asserts_mfa(self, id_token: dict) -> bool:
        """True when the provider's ID token says the person used more than one factor."""
        amr = id_token.get("amr") or []
        if isinstance(amr, str):
            amr = [amr]
        if "mfa" in amr:
            return True
        return bool(self.mfa_acr) and id_token.get("acr") == self.mfa_acr
