"""Log lines are JSON and carry no e-mail addresses, reset keys, query strings or client addresses."""

import json
import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import patch

from gunicorn.config import Config
from gunicorn.glogging import Logger

from meldpunt.logs import AccessLogger, JsonLogFormatter, PersonalDataFilter

GUNICORN_CONF = runpy.run_path(str(Path(__file__).parents[2] / "deploy" / "gunicorn.conf.py"))


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


def test_an_access_line_without_a_path_is_written():
    """A worker killed mid-request (its timeout) logs the request with an empty environment."""
    atoms = {"m": None, "U": None, "s": "500", "B": None, "D": 30_000_000}
    line = formatted(record("gunicorn.access", "%(m)s %(U)s", atoms))
    assert (line["path"], line["status"]) == ("", "500")


def test_an_exception_text_loses_e_mail_addresses():
    try:
        raise ValueError("duplicate key (email)=(piet@example.nl)")
    except ValueError as error:
        failed = logging.LogRecord("django", logging.ERROR, __file__, 1, "failed", None, None)
        failed.exc_info = (type(error), error, error.__traceback__)
    assert "piet@example.nl" not in json.dumps(formatted(failed))


def test_the_access_logger_writes_the_configured_line_as_gunicorn_would():
    """AccessLogger makes only the atoms the line uses; the line is the same as gunicorn's."""
    config = Config()
    config.set("access_log_format", GUNICORN_CONF["access_log_format"])
    response = SimpleNamespace(status="200 OK", sent=512, headers=[("Content-Type", "text/html")])
    request = SimpleNamespace(headers=[("HOST", "twente.localhost")])
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/zaken/?q=1",
        "PATH_INFO": '/zaken/"1"/',
        "QUERY_STRING": "q=1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.9",
    }
    took = timedelta(microseconds=12345)
    lines = []
    for logger_class in (Logger, AccessLogger):
        logger = logger_class(config)
        with (
            patch.object(logger_class, "access_log_enabled", True),  # without a log file
            patch.object(logger.access_log, "info") as info,
        ):
            logger.access(response, request, environ, took)
        ((message, atoms),) = [call.args for call in info.call_args_list]
        lines.append((message % atoms, formatted(record("gunicorn.access", message, atoms))))
    gunicorns, ours = lines
    assert ours[0] == gunicorns[0] == '"GET /zaken/\\"1\\"/ HTTP/1.1" 200 512 0.012345s'
    ours[1].pop("asctime"), gunicorns[1].pop("asctime")
    assert ours[1] == gunicorns[1]


def test_an_access_line_s_time_is_written_as_an_application_line_s():
    """The access line makes the seconds' text once a second; the time reads the same."""
    formatter = JsonLogFormatter()
    for created in (1_765_000_000.001, 1_765_000_000.999, 1_765_000_001.5, 1_765_000_000.25):
        line = record("gunicorn.access", "-", ({"m": "GET"},))
        line.created, line.msecs = created, int((created % 1) * 1000)
        assert json.loads(formatter.format(line))["asctime"] == formatter.formatTime(line)
