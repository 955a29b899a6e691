"""How gunicorn puts a response on the wire: the status line and headers go out in the same
write as the first body bytes, so a crashed app server leaves nothing half-sent.

nginx passes a response's headers on to the client as soon as they arrive, and once it has
it can no longer retry the request on another app server. gunicorn writes the headers and
the body in two writes; a worker killed between them (a thread can wait there for the GIL
while the others compute) leaves a client with a response cut short. With one write, an
app server killed mid-load has either sent a whole response (the kernel still delivers what
it accepted) or nothing at all, which nginx retries on the other server.

``gunicorn.conf.py`` installs it (``install``): gunicorn builds each HTTP/1 response with
``gunicorn.http.wsgi.Response``, and has no setting for another class.
"""

from __future__ import annotations

from gunicorn.http import wsgi
from gunicorn.util import to_bytestring


class HeadersWithBody(wsgi.Response):
    """A gunicorn response whose headers wait for the first body bytes (or the end)."""

    _waiting = b""  # the headers, serialized but not yet written

    def send_headers(self) -> None:
        """Serialize the headers; the next write (body, file or end) carries them."""
        if self.headers_sent:
            return
        lines = self.default_headers()
        lines.extend(f"{name}: {value}\r\n" for name, value in self.headers)
        self._waiting = to_bytestring("".join(lines) + "\r\n", "latin-1")
        self.headers_sent = True  # committed: an error now closes the connection, as before

    def _emit_body(self, data: bytes) -> None:
        if not self._waiting:
            return super()._emit_body(data)
        if self.chunked:
            data = b"%X\r\n%s\r\n" % (len(data), data)
        waiting, self._waiting = self._waiting, b""
        self.sock.sendall(waiting + data)

    def flush_headers(self) -> None:
        if self._waiting:
            waiting, self._waiting = self._waiting, b""
            self.sock.sendall(waiting)

    def sendfile(self, respiter) -> bool:
        self.send_headers()
        self.flush_headers()  # sendfile(2) cannot carry them
        return super().sendfile(respiter)

    def close(self) -> None:
        self.send_headers()  # a response with no body (a redirect, HEAD, 204)
        if self.chunked and self._waiting:
            return self._emit_body(b"")  # the headers and the last, empty chunk together
        self.flush_headers()
        super().close()


def install() -> None:
    """Make gunicorn build every HTTP/1 response as ``HeadersWithBody``."""
    wsgi.Response = HeadersWithBody
