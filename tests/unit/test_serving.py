"""gunicorn as the app servers run it: a response's headers go out in the same write as its
body, so an app server killed mid-load never leaves a response half-sent (nginx could not
retry it), and every kind of response still reaches the client whole and well framed."""

from __future__ import annotations

import http.client
import runpy
import socket
from pathlib import Path

import pytest
from gunicorn.config import Config
from gunicorn.http import wsgi
from gunicorn.http.parser import RequestParser

from directory.web.serving import HeadersWithBody

GUNICORN_CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"
BODY = b'{"results": []}' * 4000  # 60 kB, about a page of match results


class Wire:
    """The server's end of a real socket pair, noting each write gunicorn makes."""

    def __init__(self, sock: socket.socket):
        self.sock, self.writes = sock, []

    def sendall(self, data):
        self.writes.append(bytes(data))
        self.sock.sendall(data)

    def sendfile(self, file, offset=0, count=None):
        self.writes.append(f"sendfile({count})")
        return self.sock.sendfile(file, offset, count)

    def __getattr__(self, name):
        return getattr(self.sock, name)


def serve(app, method: str = "GET", response_class=HeadersWithBody):
    """Run ``app`` for one request the way gunicorn's workers do; return (what the client
    read, gunicorn's writes)."""
    client, server = socket.socketpair()
    with client, server:
        client.sendall(f"{method} /api/v1/match HTTP/1.1\r\nHost: directory\r\n\r\n".encode())
        cfg = Config()
        request = next(iter(RequestParser(cfg, server, ("127.0.0.1", 5000))))
        wire = Wire(server)
        response, environ = wsgi.create(
            request, wire, ("127.0.0.1", 5000), ("127.0.0.1", 8000), cfg, response_class
        )
        body = app(environ, response.start_response)
        if isinstance(body, environ["wsgi.file_wrapper"]):
            response.write_file(body)
        else:
            for item in body:
                response.write(item)
        response.close()
        if hasattr(body, "close"):
            body.close()
        server.shutdown(socket.SHUT_WR)
        reply = http.client.HTTPResponse(client, method=method)
        reply.begin()
        return (reply.status, dict(reply.getheaders()), reply.read()), wire.writes


def whole_json(environ, start_response):
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(BODY)))])  # fmt: skip
    return [BODY]


def test_a_response_goes_out_in_one_write_with_its_headers():
    (status, headers, body), writes = serve(whole_json)
    assert (status, body) == (200, BODY)
    assert headers["Content-Length"] == str(len(BODY))
    assert len(writes) == 1 and writes[0].endswith(BODY)


def test_gunicorns_own_response_writes_headers_apart_the_window_this_closes():
    _, writes = serve(whole_json, response_class=wsgi.Response)
    assert len(writes) == 2 and writes[1] == BODY


def test_a_streamed_response_is_chunked_correctly_with_the_headers_in_its_first_chunk():
    def streamed(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/csv")])
        return iter([b"id,name\n", b"a1,Clinic\n", b"", b"b2,Centre\n"])

    (status, headers, body), writes = serve(streamed)
    assert (status, body) == (200, b"id,name\na1,Clinic\nb2,Centre\n")
    assert headers["Transfer-Encoding"] == "chunked"
    assert writes[0].endswith(b"\r\n\r\n8\r\nid,name\n\r\n")  # headers with the first chunk
    assert writes[-1] == b"0\r\n\r\n"


@pytest.mark.parametrize("method, status", [("GET", "302 FOUND"), ("HEAD", "200 OK"),
                                            ("GET", "204 NO CONTENT")])  # fmt: skip
def test_a_response_without_a_body_still_sends_its_headers(method, status):
    def bodiless(environ, start_response):
        start_response(status, [("Location", "/provider/listings"), ("Content-Length", "0")])
        return []

    (code, headers, body), writes = serve(bodiless, method)
    assert (code, body) == (int(status.split()[0]), b"")
    assert headers["Location"] == "/provider/listings"
    assert len(writes) == 1


def test_an_empty_streamed_response_ends_its_chunks():
    def nothing(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/csv")])
        return iter([])

    (status, _, body), writes = serve(nothing)
    assert (status, body) == (200, b"")
    assert len(writes) == 1 and writes[0].endswith(b"\r\n\r\n0\r\n\r\n")


def test_a_file_is_sent_after_its_headers(tmp_path):
    export = tmp_path / "directory.csv"
    export.write_bytes(BODY)

    def download(environ, start_response):
        start_response("200 OK", [("Content-Length", str(len(BODY)))])
        return environ["wsgi.file_wrapper"](export.open("rb"))

    (status, _, body), writes = serve(download)
    assert (status, body) == (200, BODY)
    assert writes[1] == f"sendfile({len(BODY)})"


def test_the_app_servers_use_it_from_each_worker_on():
    settings = runpy.run_path(str(GUNICORN_CONF))
    original = wsgi.Response
    try:
        settings["post_fork"](None, None)
        assert wsgi.Response is HeadersWithBody
    finally:
        wsgi.Response = original
