"""The real PostgreSQL behind a switchable relay: stopped (refuses connections) and hung
(accepts and never answers). Pages that need no data stay up; data pages answer a friendly
503 with the crisis lines within 3 s; the app recovers by itself when the database returns.
A full outbox disk makes /healthz say so."""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from directory import create_app
from directory.extensions import db as _db
from tests.conftest import POSTGRES_URL, _test_config

pytestmark = pytest.mark.skipif(
    not POSTGRES_URL, reason="needs TEST_POSTGRES_URL (scripts/test starts PostgreSQL)"
)


class Relay:
    """A TCP port forwarding to PostgreSQL's unix socket, which can be stopped or hung."""

    def __init__(self, socket_path: str):
        self.socket_path, self.mode = socket_path, "up"
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            client, _ = self.listener.accept()
            if self.mode == "down":
                client.close()
                continue
            server = socket.socket(socket.AF_UNIX)
            server.connect(self.socket_path)
            self.open += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                while self.mode == "hung":
                    time.sleep(0.05)
                if self.mode == "down":
                    break
                sink.sendall(data)
        except OSError:
            pass
        for end in (source, sink):
            end.close()

    def set(self, mode: str):
        self.mode = mode
        if mode == "down":
            for end in self.open:
                with contextlib.suppress(OSError):
                    end.shutdown(socket.SHUT_RDWR)
            self.open = []


@pytest.fixture
def relayed(postgres_migrated):
    parts = urlsplit(postgres_migrated)
    folder = parse_qs(parts.query)["host"][0]
    relay = Relay(os.path.join(folder, ".s.PGSQL.5432"))
    url = f"postgresql://postgres@127.0.0.1:{relay.port}{parts.path}"
    app = create_app({**_test_config(url), "DATABASE_STATEMENT_TIMEOUT": 1})
    yield app, relay
    relay.set("up")
    with app.app_context():
        _db.engine.dispose()


def timed_get(client, path):
    started = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - started


DATA_PAGES = ["/search?location=Denver%2C+CO", "/api/v1/match?location=Denver%2C+CO",
              "/providers/0123456789ab"]  # fmt: skip


@pytest.mark.parametrize("mode", ["down", "hung"])
def test_an_outage_is_a_quick_friendly_503_and_the_app_recovers_by_itself(relayed, mode):
    app, relay = relayed
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    assert client.get(DATA_PAGES[0]).status_code == 200  # warm: gazetteer and index loaded
    relay.set(mode)
    for path in ["/", "/widget.js", "/static/css/site.css"]:
        response, seconds = timed_get(client, path)
        assert response.status_code == 200 and seconds < 1, (path, seconds)
    for path in [*DATA_PAGES, "/healthz"]:
        response, seconds = timed_get(client, path)
        assert response.status_code == 503, path
        assert seconds < 3, (path, seconds)
    page = client.get(DATA_PAGES[0]).get_data(as_text=True)
    assert "cannot reach its database" in page and "988" in page
    api = client.get(DATA_PAGES[1]).get_json()
    assert api["error"]["code"] == "unavailable"
    relay.set("up")
    deadline = time.monotonic() + 5
    while client.get("/healthz").status_code != 200:
        assert time.monotonic() < deadline, "did not recover within 5 s"
        time.sleep(0.2)
    assert client.get(DATA_PAGES[0]).status_code == 200
    assert client.get(DATA_PAGES[1]).status_code == 200


def test_healthz_says_when_the_outbox_cannot_be_written(app, client, tmp_path, monkeypatch):
    assert client.get("/healthz").status_code == 200
    full = os.statvfs_result((4096, 4096, 1000, 0, 0, 1000, 0, 0, 0, 255))
    monkeypatch.setattr(os, "statvfs", lambda path: full)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["problem"] == "the mail outbox's disk is full"
