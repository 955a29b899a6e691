"""Benchmark the match API end to end: in-process request path and gunicorn over loopback.

Usage, from the repository root (a script, not a test):

    python -m bench.bench_api [--quick] [--skip-200k] [--queries 1000] [--seed 7]

1. Creates a temporary SQLite database (``flask --app directory init-db``) and imports both
   2022 SAMHSA directories from ``../shared/data/samhsa-2022/`` (or, when they are absent,
   inserts the same number of fictional demo listings).
2. Builds a fixed, seeded mix of ``/api/v1/match`` queries: origins are ZIPs and
   "City, ST" of listings in dense (urban) and sparse (rural) areas, radius 10-100 miles,
   0-6 criteria, some must-haves, telehealth half the time.
3. In-process: p50/p95/p99 of the whole request through ``app.test_client()``, of
   ``directory.search.run_search`` alone and of ``directory.matching.match`` alone.
4. Over HTTP: ``gunicorn wsgi:app`` (2 workers, the project's ``gunicorn.conf.py``) on a free
   loopback port; requests/second of ``/healthz`` and of ``/api/v1/match`` (cycling the
   mix) with the same load generator (``wrk`` when installed, else a Python one) and
   concurrency, their ratio, and each worker's resident memory afterwards.
5. The same at ~200,000 listings: the real listings x10, copies with new ids and jittered
   coordinates, bulk-inserted with SQLAlchemy core (the catalog revision is bumped so the
   app rebuilds its index).
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import re
import runpy
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qsl, urlencode

import numpy as np
from sqlalchemy import func, insert, select
from werkzeug.datastructures import MultiDict

REPO = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "samhsa-2022"
DATA_FILES = ("substance_use_facilities_2022.csv", "mental_health_facilities_2022.csv")
REAL_SIZE = 19_131  # listings the two 2022 directories import into
BIN = Path(sys.executable).parent
SECRET_KEY = "bench-not-a-secret"  # noqa: S105
SCALE = 10
JITTER_DEGREES = 0.05

# Query parameter -> (vocabulary family, how many codes at most).
CODE_CRITERIA = {
    "service_type": ("service_type", 1),
    "care_level": ("care_level", 2),
    "therapy": ("therapy", 2),
    "medication": ("medication", 2),
    "payment": ("payment", 2),
    "age_group": ("age_group", 1),
    "gender": ("gender", 1),
    "population": ("population", 1),
    "language": ("language", 1),
}
TARGETS = {
    "p95_19k_ms": 10.0,
    "ratio": 0.25,
    "p95_growth": 2.0,
    "rss_19k_mb": 200.0,
    "rss_200k_mb": 500.0,
}


@dataclass
class Figures:
    """What one catalog size measured."""

    listings: int = 0
    setup_seconds: float = 0.0
    index_build_seconds: float = 0.0
    worker_build_seconds: float = 0.0
    request: dict = field(default_factory=dict)
    run_search: dict = field(default_factory=dict)
    matcher: dict = field(default_factory=dict)
    statuses: dict = field(default_factory=dict)
    median_total: float = 0.0
    healthz_rps: float = 0.0
    match_rps: float = 0.0
    http_errors: str = ""
    rss_mb: list = field(default_factory=list)
    peak_rss_mb: list = field(default_factory=list)


# --- database ---------------------------------------------------------------------------


def make_database(workdir: Path) -> str:
    url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ["DATABASE_URL"] = url
    os.environ["SECRET_KEY"] = SECRET_KEY
    subprocess.run(
        [str(BIN / "flask"), "--app", "directory", "init-db"],
        cwd=REPO,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return url


def load_directories(app) -> tuple[int, float, str]:
    """Import the real 2022 files (or demo listings of the same size); count, seconds, source."""
    from directory.extensions import db
    from directory.importers.demo import seed_demo_listings
    from directory.importers.store import import_directories
    from directory.models import Listing

    paths = [DATA / name for name in DATA_FILES]
    with app.app_context():
        started = time.perf_counter()
        if all(path.exists() for path in paths):
            import_directories(db.session, paths)
            source = f"SAMHSA 2022 CSV ({DATA})"
        else:
            seed_demo_listings(db.session, REAL_SIZE)
            source = "synthetic demo listings (SAMHSA files not found)"
        db.session.commit()
        seconds = time.perf_counter() - started
        count = db.session.scalar(select(func.count()).select_from(Listing))
    return count, seconds, source


def scale_listings(app, factor: int, seed: int) -> tuple[int, float]:
    """Add ``factor - 1`` jittered copies of every listing; returns the new count, seconds."""
    from directory.extensions import db
    from directory.models import Listing
    from directory.models.catalog import bump_revision

    table = Listing.__table__
    rng = random.Random(seed)
    with app.app_context():
        started = time.perf_counter()
        originals = [dict(row._mapping) for row in db.session.execute(select(table))]
        for copy in range(1, factor):
            batch = [_jittered(rng, row, copy) for row in originals]
            for start in range(0, len(batch), 5000):
                db.session.execute(insert(table), batch[start : start + 5000])
        bump_revision(db.session)
        db.session.commit()
        count = db.session.scalar(select(func.count()).select_from(table))
    return count, time.perf_counter() - started


def _jittered(rng: random.Random, row: dict, copy: int) -> dict:
    values = dict(row)
    values["id"] = f"x{copy}{row['id']}"[:16]
    values["source_key"] = None if row["source_key"] is None else f"{row['source_key']}#{copy}"
    if row["lat"] is not None:
        values["lat"] = row["lat"] + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES)
        values["lon"] = row["lon"] + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES)
    return values


# --- the query mix ----------------------------------------------------------------------


def origins(app) -> tuple[list[str], list[str]]:
    """Urban and rural places people type: ZIPs and "City, ST" of listings, dense or sparse.

    Listings are counted on a 0.5-degree grid; a listing's place is urban when its cell holds
    at least 40 listings, rural when it holds at most 4. Only places the offline gazetteer
    can locate are kept.
    """
    from directory.extensions import db
    from directory.geo import LocationNotFound, locate
    from directory.models import Listing

    columns = (Listing.zip, Listing.city, Listing.state, Listing.lat, Listing.lon)
    with app.app_context():
        rows = db.session.execute(select(*columns).where(Listing.lat.is_not(None))).all()
    cells = [(round(r.lat * 2), round(r.lon * 2)) for r in rows]
    density = Counter(cells)
    urban, rural = set(), set()
    for row, cell in zip(rows, cells, strict=True):
        places = {row.zip[:5], f"{row.city}, {row.state}"}
        if density[cell] >= 40:
            urban |= places
        elif density[cell] <= 4:
            rural |= places

    def locatable(place: str) -> bool:
        try:
            locate(place)
        except LocationNotFound:
            return False
        return bool(place.strip(", "))

    return (
        sorted(p for p in urban if locatable(p)),
        sorted(p for p in rural if locatable(p)),
    )


def query_mix(rng: random.Random, count: int, urban: list[str], rural: list[str]) -> list[str]:
    """``count`` query strings for ``/api/v1/match``: the same list for the same seed."""
    from directory.vocabulary import FAMILIES

    queries = []
    for _ in range(count):
        params = [("location", rng.choice(urban if rng.random() < 0.6 else rural))]
        params.append(("radius", str(rng.randint(10, 100))))
        chosen = rng.sample([*CODE_CRITERIA, "co_occurring"], rng.randint(0, 6))
        for criterion in chosen:
            if criterion == "co_occurring":
                params.append(("co_occurring", "true"))
                continue
            family, most = CODE_CRITERIA[criterion]
            codes = rng.sample(FAMILIES[family].codes, rng.randint(1, most))
            params.append((criterion, ",".join(codes)))
        if rng.random() < 0.5:
            params.append(("telehealth", "true"))
        if chosen and rng.random() < 0.5:  # explicit must-haves, else the API's default
            params.append(("require", ",".join(c for c in chosen if rng.random() < 0.4)))
        queries.append(urlencode([(k, v) for k, v in params if v]))
    return queries


# --- in-process -------------------------------------------------------------------------


def percentiles(samples: list[float]) -> dict:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "mean": statistics.fmean(samples)}


def in_process(app, queries: list[str], figures: Figures) -> None:
    """Time the request path, ``run_search`` and ``match`` for every query of the mix."""
    client = app.test_client()
    started = time.perf_counter()
    warm_like_a_worker(app)
    figures.index_build_seconds = time.perf_counter() - started
    for query in queries[:50]:  # warm up
        client.get("/api/v1/match?" + query)
    timings, statuses = [], {}
    for query in queries:
        started = time.perf_counter()
        response = client.get("/api/v1/match?" + query)
        timings.append((time.perf_counter() - started) * 1000)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
    figures.request, figures.statuses = percentiles(timings), statuses
    figures.run_search, figures.matcher, totals = search_timings(app, queries)
    figures.median_total = statistics.median(totals)


def warm_like_a_worker(app) -> None:
    """What each gunicorn worker does as it starts: gunicorn.conf.py's ``post_worker_init``."""
    conf = runpy.run_path(str(REPO / "gunicorn.conf.py"))
    worker = SimpleNamespace(wsgi=app, log=logging.getLogger("bench.worker"))
    conf["post_worker_init"](worker)


def search_timings(app, queries: list[str]) -> tuple[dict, dict, list[int]]:
    """``run_search`` alone (parse outside the clock) and ``match`` alone (origin known)."""
    from directory.extensions import db
    from directory.matching import Origin, match
    from directory.search.index import provider_index
    from directory.search.pages import find_origin, run_search
    from directory.search.request import parse_search

    searches, matches, totals = [], [], []
    for query in queries:
        with app.test_request_context("/api/v1/match?" + query):
            search = parse_search(MultiDict(parse_qsl(query)))
            started = time.perf_counter()
            page = run_search(search)
            searches.append((time.perf_counter() - started) * 1000)
            totals.append(page.total)
            point, index = find_origin(search), provider_index()
            where = Origin(point.lat, point.lon, point.state)
            started = time.perf_counter()
            match(index, search.needs, where, offset=search.offset, limit=search.per_page)
            matches.append((time.perf_counter() - started) * 1000)
            db.session.remove()
    return percentiles(searches), percentiles(matches), totals


# --- over HTTP --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, log: Path) -> subprocess.Popen:
    # Everything is the project's gunicorn.conf.py (timeout included): each worker builds
    # its index when it starts and logs how long that took.
    command = [str(BIN / "gunicorn"), "wsgi:app", "--workers", "2"]
    command += ["--bind", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        command, cwd=REPO, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError(f"gunicorn did not answer on port {port}; see {log}")


def stop_gunicorn(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def worker_pids(master: int) -> list[int]:
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        if re.search(rf"^PPid:\s+{master}$", text, re.MULTILINE):
            pids.append(int(status.parent.name))
    return sorted(pids)


def memory_mb(pid: int, key: str) -> float:
    text = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(rf"^{key}:\s+(\d+) kB", text, re.MULTILINE).group(1)) / 1024


def load(base: str, paths: list[str], seconds: float, connections: int) -> tuple[float, str]:
    """Requests/second (and a note about errors) for GETs cycling over ``paths``."""
    if shutil.which("wrk"):
        return _wrk(base, paths, seconds, connections)
    return _python_load(base, paths, seconds, connections)


def _wrk(base: str, paths: list[str], seconds: float, connections: int) -> tuple[float, str]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        quoted = ",\n".join(f'  "{path}"' for path in paths)
        script.write(f"local paths = {{\n{quoted}\n}}\nlocal i = 0\n")
        script.write("request = function()\n  i = i % #paths + 1\n")
        script.write('  return wrk.format("GET", paths[i])\nend\n')
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:.0f}s", "-s", script.name, base]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.findall(r"(Non-2xx or 3xx responses: \d+|Socket errors: [^\n]+)", output)
    return rps, "; ".join(errors)


def _python_load(base: str, paths: list[str], seconds: float, connections: int):
    counts, failures = [0] * connections, [0] * connections
    stop = time.monotonic() + seconds

    def worker(slot: int) -> None:
        i = slot
        while time.monotonic() < stop:
            try:
                with urllib.request.urlopen(base + paths[i % len(paths)], timeout=30) as answer:
                    answer.read()
                counts[slot] += 1
            except OSError:
                failures[slot] += 1
            i += connections

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    note = f"errors: {sum(failures)}" if sum(failures) else ""
    return sum(counts) / (time.monotonic() - started), note


def _timed_get(url: str, times: list[float], slot: int) -> None:
    started = time.monotonic()
    with urllib.request.urlopen(url, timeout=600) as answer:
        answer.read()
    times[slot] = time.monotonic() - started


def warm_workers(base: str, paths: list[str]) -> float:
    """Send rounds of 4 concurrent match requests until every one is quick: by then both
    workers have built their index. Returns the slowest request (the index build)."""
    slowest = 0.0
    for round_number in range(20):
        times = [0.0] * 4
        urls = [base + paths[(round_number * 4 + n) % len(paths)] for n in range(4)]
        threads = [threading.Thread(target=_timed_get, args=(urls[n], times, n)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        slowest = max(slowest, *times)
        if max(times) < 1.0:
            break
    return slowest


def over_http(queries: list[str], figures: Figures, args, workdir: Path) -> None:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(port, workdir / f"gunicorn-{figures.listings}.log")
    try:
        match_paths = ["/api/v1/match?" + query for query in queries]
        figures.worker_build_seconds = warm_workers(base, match_paths)
        load(base, match_paths, args.warmup, args.connections)
        load(base, ["/healthz"], args.warmup, args.connections)
        figures.healthz_rps, _ = load(base, ["/healthz"], args.duration, args.connections)
        figures.match_rps, figures.http_errors = load(
            base, match_paths, args.duration, args.connections
        )
        pids = worker_pids(server.pid)
        figures.rss_mb = [memory_mb(pid, "VmRSS") for pid in pids]
        figures.peak_rss_mb = [memory_mb(pid, "VmHWM") for pid in pids]
    finally:
        stop_gunicorn(server)
    log = (workdir / f"gunicorn-{figures.listings}.log").read_text(errors="replace")
    warmed = [line.split("] ")[-1] for line in log.splitlines() if "Worker warmed" in line]
    if warmed:
        print("  gunicorn workers at start:", *warmed, sep="\n    ")
    trouble = [line for line in log.splitlines() if "WORKER TIMEOUT" in line or "Error" in line]
    if trouble:
        print("  gunicorn log:", *trouble[:5], sep="\n    ")


# --- report -----------------------------------------------------------------------------


def describe(label: str, figures: Figures) -> None:
    print(f"\n== {label}: {figures.listings:,} listings ==")
    print(f"  worker warm-up (index build, cards kept): {figures.index_build_seconds:.2f} s")
    print(f"  statuses {figures.statuses}; median results per query {figures.median_total:.0f}")
    for name, cuts in (
        ("request (test_client)", figures.request),
        ("run_search alone", figures.run_search),
        ("match() alone", figures.matcher),
    ):
        if cuts:
            print(
                f"  {name:22} p50 {cuts['p50']:6.2f} ms  p95 {cuts['p95']:6.2f} ms  "
                f"p99 {cuts['p99']:6.2f} ms  mean {cuts['mean']:6.2f} ms"
            )
    print(f"  gunicorn worker's first match request: {figures.worker_build_seconds:.1f} s")
    if figures.match_rps and figures.healthz_rps:
        ratio = figures.match_rps / figures.healthz_rps
        print(
            f"  HTTP: /healthz {figures.healthz_rps:.0f} rps, /api/v1/match "
            f"{figures.match_rps:.0f} rps, ratio {ratio:.0%} {figures.http_errors}"
        )
        rss = ", ".join(f"{m:.0f}" for m in figures.rss_mb)
        peak = ", ".join(f"{m:.0f}" for m in figures.peak_rss_mb)
        print(f"  worker RSS after the run: {rss} MB (peak {peak} MB)")


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def summary(small: Figures, large: Figures | None) -> None:
    rows = [_row("match request p95 (in-process)", small.request, large and large.request)]
    rows.append(_row("run_search p95", small.run_search, large and large.run_search))
    rows.append(_row("match() p95", small.matcher, large and large.matcher))
    rows.append(("healthz rps", f"{small.healthz_rps:.0f}", _fmt(large, "healthz_rps", "{:.0f}")))
    rows.append(("match rps", f"{small.match_rps:.0f}", _fmt(large, "match_rps", "{:.0f}")))
    ratio = small.match_rps / max(small.healthz_rps, 1e-9)
    large_ratio = large.match_rps / max(large.healthz_rps, 1e-9) if large else None
    rows.append(("match/healthz", f"{ratio:.0%}", "-" if large is None else f"{large_ratio:.0%}"))
    worst = max(small.rss_mb, default=0.0)
    rows.append(("max worker RSS", f"{worst:.0f} MB", _rss(large)))
    print("\n| figure | ~19k | ~200k |\n|---|---|---|")
    for name, a, b in rows:
        print(f"| {name} | {a} | {b} |")
    print("\nTargets (issue 3):")
    print(f"  p95 at 19k <= 10 ms: {small.request['p95']:.2f} ms -> ", end="")
    print(verdict(small.request["p95"] <= TARGETS["p95_19k_ms"]))
    print(f"  match rps >= 25% of healthz: {ratio:.0%} -> {verdict(ratio >= TARGETS['ratio'])}")
    print(f"  worker RSS < 200 MB at 19k: {worst:.0f} MB -> {verdict(worst < 200)}")
    if large is not None:
        growth = large.request["p95"] / small.request["p95"]
        print(f"  p95 at 200k <= 2x 19k: x{growth:.2f} -> {verdict(growth <= 2)}")
        big = max(large.rss_mb, default=0.0)
        print(f"  worker RSS < 500 MB at 200k: {big:.0f} MB -> {verdict(big < 500)}")
        print(f"  (at 200k, match/healthz {large_ratio:.0%})")


def _row(name: str, small: dict, large: dict | None) -> tuple[str, str, str]:
    return name, f"{small['p95']:.2f} ms", "-" if not large else f"{large['p95']:.2f} ms"


def _fmt(figures: Figures | None, name: str, form: str) -> str:
    return "-" if figures is None else form.format(getattr(figures, name))


def _rss(figures: Figures | None) -> str:
    return "-" if figures is None else f"{max(figures.rss_mb, default=0.0):.0f} MB"


# --- main -------------------------------------------------------------------------------


def measure(app, queries: list[str], args, workdir: Path, listings: int) -> Figures:
    figures = Figures(listings=listings)
    in_process(app, queries, figures)
    over_http(queries, figures, args, workdir)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="300 queries, 5 s load runs")
    parser.add_argument("--skip-200k", action="store_true", help="only the real ~19k listings")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per load run")
    parser.add_argument("--warmup", type=float, default=4.0, help="seconds of warm-up load")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    if args.quick:
        args.queries, args.duration, args.warmup = 300, 5.0, 2.0
    workdir = Path(tempfile.mkdtemp(prefix="bench-api-"))
    try:
        run(args, workdir)
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir: Path) -> None:
    make_database(workdir)
    from directory import create_app

    app = create_app()
    print(f"python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPUs")
    count, seconds, source = load_directories(app)
    print(f"imported {count:,} listings in {seconds:.1f} s from {source}")
    urban, rural = origins(app)
    print(f"origins: {len(urban):,} urban and {len(rural):,} rural places (ZIPs and cities)")
    queries = query_mix(random.Random(args.seed), args.queries, urban, rural)
    small = measure(app, queries, args, workdir, count)
    describe("real directories", small)
    large = None
    if not args.skip_200k:
        count, seconds = scale_listings(app, SCALE, args.seed)
        print(f"\nscaled to {count:,} listings (x{SCALE}, jittered copies) in {seconds:.1f} s")
        large = measure(app, queries, args, workdir, count)
        describe("x10 synthetic", large)
    summary(small, large)


if __name__ == "__main__":
    main()
