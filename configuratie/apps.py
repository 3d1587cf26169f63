"""The region's configuration as a Django app; hands the policy the region's facts it weighs."""

from django.apps import AppConfig


class ConfiguratieConfig(AppConfig):
    name = "configuratie"
    verbose_name = "Configuratie"

    def ready(self) -> None:
        from accounts.policy import RegionFacts, use_region_facts
        from configuratie.models import PartnerContact, RegionSettings
        from configuratie.version import built_from_configuration, watch_configuration

        watch_configuration()

        def partner_of(user) -> int | None:
            contacts = PartnerContact.objects.filter(account=user)
            return contacts.values_list("partner_id", flat=True).first()

        # The region's settings are configuration: read once per configuration version
        # (a save renews it), not on every page that weighs them (a statement each).
        def read_meeting_access_days() -> tuple[int, int]:
            region = RegionSettings.current()
            return region.meeting_access_days_before, region.meeting_access_days_after

        def meeting_access_days() -> tuple[int, int]:
            return built_from_configuration("overleg-inzage", read_meeting_access_days)

        def screening_team_access() -> str:
            return built_from_configuration(
                "screeningsteam-inzage", lambda: RegionSettings.current().screening_team_access
            )

        use_region_facts(RegionFacts(partner_of, meeting_access_days, screening_team_access))
