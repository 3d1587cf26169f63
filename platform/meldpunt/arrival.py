"""When a request reached this server, by the kernel's clock: the start of its wait.

gunicorn's sync workers take a connection from the listening socket's queue only when
they are free, so how long a request waited there is invisible to them, and behind a
proxy the proxy's own clock says nothing about this queue either. The kernel stamps
every packet it receives for a socket that asks (SO_TIMESTAMPNS): this worker class asks
on the listening sockets (the connections they accept inherit it), peeks at the first
byte of each request with its stamp, and hands the stamp on as the request's
X-Request-Start header, replacing any a client or a proxy sent. The overload refusal
(meldpunt.overload) reads it. deploy/gunicorn.conf.py names the class, so `make run`,
the tests, the bench and the image all stamp alike; without a stamp (a socket type
that has none) no request counts as waited and none is refused.

It also holds a response's bytes in the kernel until the connection is closed
(TCP_CORK): gunicorn sends the head and the body in two writes, and every connection
carries one request (the sync worker answers `Connection: close`), so head, body and
the closing FIN leave as one segment instead of three, each of which the kernel
carries to the other end and wakes it for. Closing the connection (gunicorn's
graceful close shuts the sending side first) sends what is held at once; a response
larger than a segment still leaves segment by segment as it is written. A request that
asks for `100 Continue` before it sends its body is not corked: gunicorn sends that
interim answer before the application runs, and corked the kernel would hold it (and
the client's body) up to 200 ms.
"""

import contextlib
import socket
import struct

from gunicorn.http.message import Request
from gunicorn.workers.sync import SyncWorker

# Linux's number; Python's socket module does not name it.
SO_TIMESTAMPNS = getattr(socket, "SO_TIMESTAMPNS", 35)
TIMESPEC = struct.Struct("qq")
HEADER = "X-REQUEST-START"
# Linux's; elsewhere responses are sent as they are written.
TCP_CORK = getattr(socket, "TCP_CORK", None)


def arrival(connection: socket.socket) -> float | None:
    """The kernel's receive time of the connection's first unread byte (epoch seconds),
    without reading it; None when the kernel gave no stamp."""
    try:
        _, ancillary, _, _ = connection.recvmsg(
            1, socket.CMSG_SPACE(TIMESPEC.size), socket.MSG_PEEK
        )
    except OSError:
        return None
    for level, kind, data in ancillary:
        if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS and len(data) >= TIMESPEC.size:
            seconds, nanoseconds = TIMESPEC.unpack_from(data)
            return seconds + nanoseconds / 1e9
    return None


def stamp(request: Request, arrived: float | None) -> None:
    """Puts the arrival on the request as its only X-Request-Start (nginx's `t=` form)."""
    request.headers = [(name, value) for name, value in request.headers if name != HEADER]
    if arrived is not None:
        request.headers.append((HEADER, f"t={arrived:.6f}"))


def cork(connection: socket.socket) -> None:
    """Holds what is written to the connection until it is full or closed (above);
    a socket that cannot (not TCP) sends as it is written."""
    if TCP_CORK is None:
        return
    with contextlib.suppress(OSError):
        connection.setsockopt(socket.IPPROTO_TCP, TCP_CORK, 1)


def expects_continue(request: Request) -> bool:
    return any(
        name == "EXPECT" and value.strip().lower() == "100-continue"
        for name, value in request.headers
    )


class ArrivalStampingWorker(SyncWorker):
    """gunicorn's sync worker that stamps each request with its arrival (above)."""

    arrived: float | None = None

    def init_process(self) -> None:
        for listener in self.sockets:
            try:
                listener.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
            except OSError:
                self.log.warning("No arrival stamps on %s: no request is refused as late", listener)
        super().init_process()

    def handle(self, listener, client: socket.socket, addr) -> None:
        self.arrived = arrival(client)
        super().handle(listener, client, addr)

    def handle_request(self, listener, req: Request, client: socket.socket, addr) -> None:
        stamp(req, self.arrived)
        if not expects_continue(req):
            cork(client)
        super().handle_request(listener, req, client, addr)
