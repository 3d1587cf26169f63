"""JSON in, no larger than the site accepts from a form (DATA_UPLOAD_MAX_MEMORY_SIZE).

DRF reads the body as a stream and so skips Django's size check of `request.body`:
without this a client could send the API any amount."""

from django.conf import settings
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "te_groot"


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH", "") if request is not None else ""
        if declared.isdigit() and int(declared) > limit:
            raise TooLarge()
        return super().parse(stream, media_type, parser_context)
