"""Municipalities as reference data: the CBS boundary file is the one from shared/data,
typed names map to codes where they match one municipality, presets carry a region's
working area, and the map shows cases per 10,000 young people where populations are known."""

import hashlib

from django_tenants.utils import tenant_context

from configuratie.gemeenten import BOUNDARIES, BOUNDARIES_SHA256, code_for_name, municipalities
from configuratie.models import RegionMunicipality
from statistiek.charts import map_classes
from statistiek.figures import cases_per_municipality, default_selection
from tests.factories import person, public_report


def test_the_boundary_file_is_the_published_one_with_342_municipalities():
    assert hashlib.sha256(BOUNDARIES.read_bytes()).hexdigest() == BOUNDARIES_SHA256
    assert len(municipalities()) == 342
    assert municipalities()["GM0153"] == "Enschede"


def test_typed_names_map_to_a_code_only_when_they_match_one_municipality():
    assert code_for_name("enschede") == "GM0153"
    assert code_for_name(" Hengelo ") == "GM0164"  # Hengelo (O.)
    assert code_for_name("Súdwest-Fryslân") == code_for_name("sudwest-fryslan") != ""
    assert code_for_name("Bergen") == ""  # Bergen (L.) or Bergen (NH.)
    assert code_for_name("Glanerbrug") == ""  # a village, not a municipality
    assert code_for_name("") == ""


def test_the_presets_give_twente_and_limburg_their_working_area(twente, limburg):
    with tenant_context(twente):
        assert RegionMunicipality.objects.count() == 14
        assert RegionMunicipality.objects.filter(code="GM0153", funds_meldpunt=True).exists()
    with tenant_context(limburg):
        assert RegionMunicipality.objects.count() == 31


def test_the_map_shows_cases_per_10000_young_people_once_every_population_is_known(twente):
    with tenant_context(twente):
        public_report(person("Iemand", municipality="GM0153"))
        public_report(person("Nog iemand", municipality="GM0153"))
        column, _classes, _legend = map_classes(cases_per_municipality(default_selection()))
        assert column == "n"
        RegionMunicipality.objects.update(young_population=20000)
        table = cases_per_municipality(default_selection())
        column, classes, _legend = map_classes(table)
        enschede = next(row for row in table.rows if row.key == "GM0153")
        assert column == "per_10000"
        assert enschede.values["per_10000"] == 1.0
        assert classes["GM0153"] == 4  # the highest class
