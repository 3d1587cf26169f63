"""Log lines as JSON, without personal data: no e-mail addresses, secrets in paths or query strings.

Used by Django's logging and by gunicorn's (deploy/gunicorn.conf.py). An
access line carries method, path, status, size and duration, never the
client's address (a reporter's address is personal data) or the query string.
"""

import json
import logging
import re

from gunicorn.glogging import Logger
from pythonjsonlogger.json import JsonFormatter

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# allauth's password-reset link carries the key in its path.
SECRET_PATH = re.compile(r"(/password/reset/key/)[^/\s\"']+")
REDACTED = "[verwijderd]"


def redact(text: str) -> str:
    return SECRET_PATH.sub(r"\1" + REDACTED, EMAIL.sub(REDACTED, text))


class PersonalDataFilter(logging.Filter):
    """Redacts the formatted message; gunicorn's access atoms are left to the formatter."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not (record.name == "gunicorn.access" and isinstance(record.args, dict)):
            record.msg = redact(record.getMessage())
            record.args = None
        return True


class JsonLogFormatter(JsonFormatter):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("fmt", "%(asctime)s %(levelname)s %(name)s %(message)s")
        kwargs.setdefault("rename_fields", {"levelname": "level", "name": "logger"})
        super().__init__(*args, **kwargs)

    def format(self, record: logging.LogRecord) -> str:
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            # One on every request: the same line as python-json-logger's, without its
            # general path (the fields of the format string, its encoder) that cost more
            # than half of writing it.
            atoms = record.args
            return json.dumps(
                {
                    "asctime": self.formatTime(record, self.datefmt),
                    "level": record.levelname,
                    "logger": record.name,
                    "message": "request",
                    "method": atoms.get("m"),
                    "path": redact(atoms.get("U") or ""),
                    "status": atoms.get("s"),
                    "bytes": atoms.get("B"),
                    "duration_ms": round(int(atoms.get("D", 0)) / 1000, 1),
                }
            )
        return super().format(record)

    def formatException(self, exc_info) -> str:
        return redact(super().formatException(exc_info))


class AccessLogger(Logger):
    """gunicorn's logger (deploy/gunicorn.conf.py), with only the access line's atoms
    that its format and JsonLogFormatter use: gunicorn's own are some thirty, every
    request and response header and the whole WSGI environment among them, on every
    request. An atom not made here is written as "-"."""

    def atoms(self, resp, req, environ: dict, request_time) -> dict:
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        sent = getattr(resp, "sent", None)
        return {
            "m": environ.get("REQUEST_METHOD"),
            "U": environ.get("PATH_INFO"),
            "H": environ.get("SERVER_PROTOCOL"),
            "s": status,
            "b": "-" if sent is None else str(sent),
            "B": sent,
            "D": request_time.seconds * 1_000_000 + request_time.microseconds,
            "L": f"{request_time.seconds}.{request_time.microseconds:06d}",
        }
