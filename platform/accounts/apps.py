from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from accounts import identity_providers  # noqa: F401 (its signal receiver)
        from accounts.policy import partner_of
        from audit.services import use_partner_lookup

        # An audit line names the partner organisation of a contact person who reads data.
        use_partner_lookup(partner_of)
