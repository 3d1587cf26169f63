"""Log lines as JSON, without personal data: no e-mail addresses, secrets in paths or query strings.

Used by Django's logging and by gunicorn's (deploy/gunicorn.conf.py). An
access line carries method, path, status, size and duration, never the
client's address (a reporter's address is personal data) or the query string.
"""

import functools
import json
import logging
import re
import time
import traceback
from collections.abc import Callable

from gunicorn.glogging import Logger
from pythonjsonlogger.json import JsonFormatter

EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# allauth's password-reset link carries the key in its path.
RESET_KEY_PATH = "/password/reset/key/"
SECRET_PATH = re.compile(f"({re.escape(RESET_KEY_PATH)})" + r"[^/\s\"']+")
REDACTED = "[verwijderd]"


def redact(text: str) -> str:
    # Each pattern only where its literal part is: a search of every line costs more
    # than writing it (an access line a request, most without either).
    if "@" in text:
        text = EMAIL.sub(REDACTED, text)
    if RESET_KEY_PATH in text:
        text = SECRET_PATH.sub(r"\1" + REDACTED, text)
    return text


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
                    "asctime": self.access_time(record),
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

    def access_time(self, record: logging.LogRecord) -> str:
        """formatTime's text, the seconds' part made once a second (a line a request)."""
        if self.datefmt is not None or self.default_msec_format is None:
            return self.formatTime(record, self.datefmt)
        seconds = second_text(int(record.created), self.default_time_format, self.converter)
        return self.default_msec_format % (seconds, record.msecs)

    def formatException(self, exc_info) -> str:
        return redact(super().formatException(exc_info))


@functools.lru_cache(maxsize=1)
def second_text(second: int, time_format: str, converter: Callable) -> str:
    """A second's time text: an access line a request, each second's made once."""
    return time.strftime(time_format, converter(second))


class Atoms(dict):
    """gunicorn's SafeAtoms for the atoms made here: text with its quotes escaped, "-"
    for any atom not made (a header's among them: none is)."""

    def __missing__(self, key: str) -> str:
        return "-"


class AccessLogger(Logger):
    """gunicorn's logger (deploy/gunicorn.conf.py), with only the access line's atoms
    that its format and JsonLogFormatter use: gunicorn's own are some thirty, every
    request and response header and the whole WSGI environment among them, on every
    request. An atom not made here is written as "-"."""

    def access(self, resp, req, environ: dict, request_time) -> None:
        """gunicorn's, with the atoms escaped as they are made instead of copied into
        a SafeAtoms."""
        if not self.access_log_enabled:
            return
        try:
            self.access_log.info(
                self.cfg.access_log_format, self.atoms(resp, req, environ, request_time)
            )
        except Exception:
            self.error(traceback.format_exc())

    def atoms(self, resp, req, environ: dict, request_time) -> dict:
        status = resp.status
        if isinstance(status, str):
            status = status.split(None, 1)[0]
        sent = getattr(resp, "sent", None)
        return Atoms(
            {
                "m": escaped(environ.get("REQUEST_METHOD")),
                "U": escaped(environ.get("PATH_INFO")),
                "H": escaped(environ.get("SERVER_PROTOCOL")),
                "s": escaped(status),
                "b": "-" if sent is None else str(sent),
                "B": sent,
                "D": request_time.seconds * 1_000_000 + request_time.microseconds,
                "L": f"{request_time.seconds}.{request_time.microseconds:06d}",
            }
        )


def escaped(value):
    """Text with its double quotes escaped, as gunicorn's SafeAtoms writes it."""
    return value.replace('"', '\\"') if isinstance(value, str) else value
