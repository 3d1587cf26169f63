"""Asks ClamAV's daemon (clamd) whether content is infected, over its unix socket or TCP
(settings.CLAMD_ADDRESS), with clamav-client's INSTREAM: nothing is written to disk."""

import io
import logging
from dataclasses import dataclass

from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket
from django.conf import settings

logger = logging.getLogger(__name__)
TCP_PREFIX = "tcp://"


class ScannerUnavailable(Exception):
    """clamd did not give a verdict: not running, not reachable, too slow or in error."""


@dataclass(frozen=True)
class Verdict:
    infected: bool
    signature: str = ""  # the name of what clamd found, e.g. "Win.Test.EICAR_HDB-1"


def clamd_client(timeout: int | None = None) -> ClamdUnixSocket | ClamdNetworkSocket:
    """`tcp://host:port` for a clamd on the network, otherwise the path of its socket."""
    address = settings.CLAMD_ADDRESS
    timeout = timeout or settings.CLAMD_TIMEOUT
    if address.startswith(TCP_PREFIX):
        host, _, port = address.removeprefix(TCP_PREFIX).rpartition(":")
        return ClamdNetworkSocket(host=host, port=int(port), timeout=timeout)
    return ClamdUnixSocket(path=address, timeout=timeout)


def status() -> str:
    """For the readiness probe: "ok" when clamd answers PING within a second."""
    try:
        return "ok" if clamd_client(timeout=1).ping() == "PONG" else "unavailable"
    except (ClamdError, OSError):
        return "unavailable"


def scan(content: bytes) -> Verdict:
    """clamd's verdict on `content`; ScannerUnavailable when there is none."""
    try:
        result = clamd_client().instream(io.BytesIO(content)).get("stream")
    except (ClamdError, OSError) as error:  # OSError: clamd went away while we sent
        logger.warning("Virus scanner unavailable: %s", type(error).__name__)
        raise ScannerUnavailable from error
    status, signature = result if result else ("", None)
    if status == "OK":
        return Verdict(infected=False)
    if status == "FOUND":
        return Verdict(infected=True, signature=signature or "")
    logger.warning("Virus scanner gave no verdict: %s", status or "no answer")
    raise ScannerUnavailable(status)
