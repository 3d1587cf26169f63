"""Log lines are JSON and carry no e-mail addresses, reset keys, query strings or client addresses."""

import json
import logging

from meldpunt.logs import JsonLogFormatter, PersonalDataFilter


def formatted(record: logging.LogRecord) -> dict:
    PersonalDataFilter().filter(record)
    return json.loads(JsonLogFormatter().format(record))


def record(name: str, message: str, args) -> logging.LogRecord:
    return logging.LogRecord(name, logging.INFO, __file__, 1, message, args, None)


def test_an_application_line_is_json_without_e_mail_addresses():
    line = formatted(record("accounts", "invitation sent to %s", ("jan.jansen@example.nl",)))
    assert line["message"] == "invitation sent to [verwijderd]"
    assert line["level"] == "INFO" and line["logger"] == "accounts"
    assert "example.nl" not in json.dumps(line)


def test_an_access_line_has_no_client_address_query_or_reset_key():
    atoms = {
        "h": "203.0.113.9",
        "m": "GET",
        "U": "/accounts/password/reset/key/3-abc123secret/",
        "q": "code=ABCD-1234",
        "s": "200",
        "B": "512",
        "D": "12345",
    }
    line = formatted(record("gunicorn.access", "%(h)s %(m)s %(U)s?%(q)s", atoms))
    assert line["path"] == "/accounts/password/reset/key/[verwijderd]/"
    assert (line["method"], line["status"], line["duration_ms"]) == ("GET", "200", 12.3)
    text = json.dumps(line)
    assert "203.0.113.9" not in text and "ABCD" not in text and "abc123secret" not in text


def test_an_exception_text_loses_e_mail_addresses():
    try:
        raise ValueError("duplicate key (email)=(piet@example.nl)")
    except ValueError as error:
        failed = logging.LogRecord("django", logging.ERROR, __file__, 1, "failed", None, None)
        failed.exc_info = (type(error), error, error.__traceback__)
    assert "piet@example.nl" not in json.dumps(formatted(failed))
