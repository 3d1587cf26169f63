"""The OpenAPI description of what every endpoint may answer besides success: the one
error shape (api.errors), and which statuses each kind of endpoint gives."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, inline_serializer
from rest_framework import serializers

ERROR = inline_serializer(
    "Fout",
    {
        "fout": inline_serializer(
            "FoutInhoud",
            {
                "code": serializers.CharField(
                    help_text="Vaste code voor programma's, bijvoorbeeld `niet_gevonden`, "
                    "`geen_toegang`, `ongeldig`, `overgang_geweigerd`, `te_veel_verzoeken`."
                ),
                "melding": serializers.CharField(help_text="Uitleg in het Nederlands."),
                "velden": serializers.DictField(
                    child=serializers.ListField(child=serializers.CharField()),
                    help_text="Per veld (of `algemeen`) wat er niet klopte.",
                ),
            },
        )
    },
)

DESCRIPTIONS = {
    400: "De gegevens zijn niet in orde, of de dienst weigert de handeling (zie `velden`).",
    401: "Niet ingelogd: geen, een verlopen of een ingetrokken API-token.",
    403: "Ingelogd, maar deze rol mag dit niet.",
    404: "Bestaat niet, of de gebruiker mag het niet zien (zoals op de schermen).",
    405: "Deze methode is hier niet toegestaan.",
    406: "Alleen JSON.",
    413: "Het verzoek is groter dan 1 MB.",
    415: "Stuur JSON.",
    429: "Te veel verzoeken; probeer het later opnieuw.",
}
# Every endpoint can answer these.
ALWAYS = (401, 403, 405, 406, 429)


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """The error responses of an endpoint: those it names and those every one can give."""
    return {
        code: OpenApiResponse(ERROR, description=DESCRIPTIONS[code])
        for code in sorted({*statuses, *ALWAYS})
    }


def with_body(*statuses: int) -> dict[int, OpenApiResponse]:
    """The error responses of an endpoint that takes a JSON body."""
    return errors(400, 413, 415, *statuses)


class PersonalTokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes a personal API token (api.authentication)."""

    target_class = "api.authentication.PersonalTokenAuthentication"
    name = "persoonlijkeToken"

    def get_security_definition(self, auto_schema) -> dict:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <sleutel>`: een persoonlijke API-sleutel, aan te maken "
            "onder API-sleutels in de eigen regio.",
        }
