"""Several servers, one directory, for real: ``scripts/cluster`` starts PostgreSQL, Redis, two
gunicorn app servers and nginx; an edit through one server is in the other's results within a
second, stopping or killing a server under load loses no request, and rate limits count
across both."""

from __future__ import annotations

import http.client
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from bench.bench_cluster import children

ROOT = Path(__file__).resolve().parents[2]
SIGN_IN_LIMIT = 6  # per minute, set for the cluster below
METRICS_TOKEN = "cluster-metrics-token"
PASSWORD = "cluster proof password"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def _missing_binaries() -> list[str]:
    missing = [name for name in ("redis-server",) if not shutil.which(name)]
    if not (shutil.which("nginx") or os.access("/usr/sbin/nginx", os.X_OK)):
        missing.append("nginx")
    if not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        missing.append("PostgreSQL (initdb)")
    return missing


def _free_base_port() -> int:
    """A port P with P..P+4 free on 127.0.0.1 (nginx, two app servers, PostgreSQL, Redis)."""
    for _ in range(50):
        base = random.randrange(20000, 40000)
        sockets = []
        try:
            for port in range(base, base + 5):
                sock = socket.socket()
                sockets.append(sock)
                sock.bind(("127.0.0.1", port))
            return base
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no five free ports in a row")


class Cluster:
    """The running cluster: its folder, nginx's port and the two app servers' ports."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        self.apps = (port + 1, port + 2)
        self.database_url = f"postgresql://postgres@127.0.0.1:{port + 3}/directory"
        self.environment = {
            **os.environ,
            "SIGN_IN_RATE_LIMIT": f"{SIGN_IN_LIMIT} per minute",
            "METRICS_TOKEN": METRICS_TOKEN,
        }

    def start(self) -> None:
        """Start (or bring back) whatever is not running; fail with the script's output."""
        command = ["bash", str(ROOT / "scripts/cluster"), "start", str(self.folder), str(self.port)]
        done = subprocess.run(command, env=self.environment, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr + self.logs()

    def stop(self) -> None:
        command = ["bash", str(ROOT / "scripts/cluster"), "stop", str(self.folder)]
        subprocess.run(command, check=False)

    def logs(self) -> str:
        return "".join(
            f"\n--- {path.name}\n{path.read_text(errors='replace')[-2000:]}"
            for path in sorted(self.folder.glob("*.log"))
        )

    def up(self, port: int) -> bool:
        try:
            return fetch(port, "/healthz")[0] == 200
        except OSError:
            return False


def opener(cookies: http.cookiejar.CookieJar | None = None):
    """No proxies from the environment, no following redirects: the answers as sent."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    handlers = [urllib.request.ProxyHandler({}), NoRedirect()]
    if cookies is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(cookies))
    return urllib.request.build_opener(*handlers)


def fetch(port, path, data=None, headers=None, browser=None) -> tuple[int, str]:
    """(status, body) of one request to 127.0.0.1:``port``."""
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", body, headers or {})
    try:
        with (browser or opener()).open(request, timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:  # any status but 2xx; closed, or it warns later
        with error:
            return error.code, error.read().decode(errors="replace")


def csrf_token(page: str) -> str:
    match = CSRF.search(page) or re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture(scope="module")
def cluster():
    missing = _missing_binaries()
    if missing:
        needed = ", ".join(missing)
        pytest.skip(f"the two-server test needs {needed}: bash scripts/test installs them")
    folder = Path(tempfile.mkdtemp(prefix="directory-cluster-"))  # postgres must reach it
    running = Cluster(folder, _free_base_port())
    try:
        running.start()
        yield running
    finally:
        running.stop()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def both_servers(cluster):
    """Both app servers answering (a test before may have killed one)."""
    if not all(cluster.up(port) for port in cluster.apps):
        cluster.start()
    return cluster


@pytest.fixture(scope="module")
def seeded(cluster):
    """An admin account and one listing in the cluster's database, written by the app's own
    operations (as ``flask create-admin`` would)."""
    from directory import create_app
    from directory.extensions import db
    from directory.models import Listing
    from directory.models.account import ADMIN
    from directory.models.listing import utcnow
    from directory.operations.accounts import AccountPolicy, create_account
    from directory.settings import normalize_database_url

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": normalize_database_url(cluster.database_url),
         "SECRET_KEY": "not-used", "GEOCODER": "offline"}
    )  # fmt: skip
    with app.app_context():
        admin = create_account(
            db.session, "admin@cluster.example", PASSWORD,
            AccountPolicy.from_config(app.config), role=ADMIN,
        )  # fmt: skip
        admin.email_verified_at = utcnow()
        listing = Listing(
            id="cluster000001", name="Cluster Proof Clinic", source="admin",
            street="1 Main St", city="Denver", state="CO", zip="80202", lat=39.7525,
            lon=-104.9995, location_precision="zip", phone="303-555-0100",
            service_types=["substance_use"], care_levels=["outpatient"], dual_diagnosis="none",
            therapies=["cbt"], medications=[], payments=["medicaid"], age_groups=["adults"],
            genders=["women", "men"], populations=[], languages=["en"], accreditations=[],
            telehealth=False,
        )  # fmt: skip
        db.session.add(listing)
        db.session.commit()
        db.engine.dispose()
    return {"admin": "admin@cluster.example", "listing": "cluster000001"}


def names_found(port: int) -> list[str]:
    status, body = fetch(port, "/api/v1/match?location=80202&radius=10")
    assert status == 200, body
    return [result["name"] for result in json.loads(body)["results"]]


def test_an_edit_through_one_server_is_in_the_other_servers_results_within_a_second(
    both_servers, seeded
):
    app1, app2 = both_servers.apps
    assert "Cluster Proof Clinic" in names_found(app2)

    browser = opener(http.cookiejar.CookieJar())
    _, page = fetch(app1, "/provider/login", browser=browser)
    status, _ = fetch(app1, "/provider/login", browser=browser,
                      data={"csrf_token": csrf_token(page), "email": seeded["admin"],
                            "password": PASSWORD})  # fmt: skip
    assert status == 302, "the admin could not sign in through app server 1"
    edit = f"/admin/listings/{seeded['listing']}/edit"
    _, page = fetch(app1, edit, browser=browser)
    fields = dict(
        re.findall(r'name="(name|city|zip|street|phone|version)"[^>]*value="([^"]*)"', page)
    )
    new_name = f"Cluster Proof Clinic {random.randrange(10**6)}"
    form = {**fields, "state": "CO", "name": new_name, "csrf_token": csrf_token(page)}
    status, body = fetch(app1, edit, data=form, browser=browser)
    saved = time.monotonic()
    assert status == 302, body[:2000]

    while new_name not in names_found(app2):
        assert time.monotonic() - saved < 1, "app server 2 still shows the old name after 1 s"
        time.sleep(0.05)
    seen_after = time.monotonic() - saved
    # Every worker of app server 2 (and nginx's choice of either server) agrees from now on.
    assert all(new_name in names_found(port) for port in [app2] * 6 + [both_servers.port] * 6)
    print(f"edit on app server 1 seen in app server 2's results after {seen_after:.3f} s")


def test_rate_limits_count_across_both_servers(both_servers):
    """Sign-in attempts from one visitor, alternately through each app server: the limit
    (SIGN_IN_RATE_LIMIT, counted in Redis) trips at the configured count, not twice it."""
    visitor = {"X-Forwarded-For": f"203.0.113.{random.randrange(1, 255)}"}  # PROXY_HOPS=1
    browser = opener(http.cookiejar.CookieJar())
    _, page = fetch(both_servers.apps[0], "/provider/login", headers=visitor, browser=browser)
    token = csrf_token(page)  # the session cookie is good on both servers (one SECRET_KEY)
    statuses = []
    for attempt in range(SIGN_IN_LIMIT + 2):
        port = both_servers.apps[attempt % 2]
        form = {"csrf_token": token, "email": f"nobody{attempt}@cluster.example",
                "password": "wrong password"}  # fmt: skip
        statuses.append(fetch(port, "/provider/login", form, visitor, browser)[0])
    assert statuses == [200] * SIGN_IN_LIMIT + [429, 429], statuses


def healthz_count(port: int) -> float:
    status, body = fetch(port, "/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert status == 200, body
    wanted = {"endpoint": "health.healthz", "method": "GET", "status": "200"}
    for family in text_string_to_metric_families(body):
        for sample in family.samples:
            if sample.name == "directory_http_requests_total" and sample.labels == wanted:
                return sample.value
    return 0.0


def test_metrics_add_up_every_worker_of_a_server_and_stay_off_the_public_site(both_servers):
    app2 = both_servers.apps[1]
    before = healthz_count(app2)
    for _ in range(20):  # spread over app server 2's two workers by the kernel
        assert fetch(app2, "/healthz")[0] == 200
    # Whichever worker answers the scrape, it reports both workers' requests.
    assert [healthz_count(app2) - before for _ in range(6)] == [20] * 6
    bearer = {"Authorization": f"Bearer {METRICS_TOKEN}"}
    assert fetch(both_servers.port, "/metrics", headers=bearer)[0] == 404  # nginx refuses it
    assert fetch(app2, "/metrics")[0] == 404


def _load_through_nginx(cluster, seconds: float, stop_server_after: float, sig: int):
    """16 connections of GETs through nginx for ``seconds``; app server 1 (master and, for
    SIGKILL, its workers too) gets ``sig`` after ``stop_server_after``. Each answer is
    (started, ended, outcome): 200, "truncated" (the response began and was cut off) or the
    error; and the moment of the signal."""
    answers: list[tuple[float, float, int | str]] = []
    lock, stop = threading.Lock(), time.monotonic() + seconds
    path = "/api/v1/match?location=Denver%2C+CO"

    def load():
        while time.monotonic() < stop:
            started = time.monotonic()
            try:
                outcome: int | str = fetch(cluster.port, path)[0]
            except http.client.IncompleteRead:  # fewer bytes than Content-Length: detected
                outcome = "truncated"
            except (OSError, http.client.HTTPException) as error:
                outcome = repr(error)
            with lock:
                answers.append((started, time.monotonic(), outcome))

    threads = [threading.Thread(target=load) for _ in range(16)]
    for thread in threads:
        thread.start()
    time.sleep(stop_server_after)
    master = int((cluster.folder / "app1.pid").read_text())
    signalled = time.monotonic()
    for pid in [master, *children(master)] if sig == signal.SIGKILL else [master]:
        os.kill(pid, sig)
    for thread in threads:
        thread.join()
    return answers, signalled


def _gone(cluster, port: int, within: float) -> bool:
    deadline = time.monotonic() + within
    while cluster.up(port):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def test_stopping_one_app_server_mid_load_loses_no_request(both_servers):
    """An app server taken out of service (systemctl stop, a deploy: SIGTERM, gunicorn's
    graceful stop) while 16 connections of GETs run through nginx: every request is answered
    in full. Requests it had begun are finished; nginx sends the rest to app server 2."""
    answers, signalled = _load_through_nginx(both_servers, 3, 1, signal.SIGTERM)
    assert _gone(both_servers, both_servers.apps[0], within=25), "app server 1 did not stop"
    failed = [outcome for _, _, outcome in answers if outcome != 200]
    assert failed == [], f"{len(failed)} of {len(answers)} requests failed: {failed[:10]}"
    after = sum(1 for started, _, _ in answers if started > signalled)
    assert after > 16, "too few requests after the stop to prove anything"
    print(f"{len(answers)} requests, {after} after the stop, 0 failed")


def test_killing_one_app_server_mid_load_loses_no_request(both_servers):
    """A crash (SIGKILL to master and workers) under 16 connections of GETs: every request is
    answered in full. The dead server had sent each response whole or not at all (its
    headers go out in the same write as its body: directory/web/serving.py), and nginx
    retries on app server 2 every one it had not sent. A response cut short would show as
    fewer bytes than its Content-Length, and is counted as failed."""
    answers, killed = _load_through_nginx(both_servers, 3, 1, signal.SIGKILL)
    assert not both_servers.up(both_servers.apps[0]), "app server 1 was not killed"
    failed = [outcome for _, _, outcome in answers if outcome != 200]
    assert failed == [], f"{len(failed)} of {len(answers)} requests failed: {failed[:10]}"
    in_flight = sum(1 for started, ended, _ in answers if started <= killed <= ended)
    after = sum(1 for started, _, _ in answers if started > killed)
    assert after > 16, "too few requests after the kill to prove anything"
    print(f"{len(answers)} requests, {in_flight} in flight at the kill, {after} after, 0 failed")
