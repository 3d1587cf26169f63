"""Log lines as JSON, without personal data: no e-mail addresses, secrets in paths or query strings.

Used by Django's logging and by gunicorn's (deploy/gunicorn.conf.py). An
access line carries method, path, status, size and duration, never the
client's address (a reporter's address is personal data) or the query string.
"""

import logging
import re

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

    def add_fields(self, log_data: dict, record: logging.LogRecord, message_dict: dict) -> None:
        super().add_fields(log_data, record, message_dict)
        if record.name == "gunicorn.access" and isinstance(record.args, dict):
            atoms = record.args
            log_data["message"] = "request"
            log_data.update(
                method=atoms.get("m"),
                path=redact(atoms.get("U", "")),
                status=atoms.get("s"),
                bytes=atoms.get("B"),
                duration_ms=round(int(atoms.get("D", 0)) / 1000, 1),
            )

    def formatException(self, exc_info) -> str:
        return redact(super().formatException(exc_info))
