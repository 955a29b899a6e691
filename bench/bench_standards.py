"""Benchmark the standards interfaces: HSDS pages, the change feed, the HSDS export, ndjson.

Usage, from the repository root (a script, not a test):

    python -m bench.bench_standards [--requests 300] [--skip-200k] [--requests-only]

1. A temporary SQLite database with both real 2022 SAMHSA directories imported (or as many
   demo listings when the files are absent), as ``bench.bench_api`` makes it.
2. In-process (``app.test_client()``): p50/p95/p99 of ``/hsds/services?per_page=100`` at
   random pages, and of ``/api/v1/changes?limit=100`` following the feed from the start,
   wall-clock and CPU time of the thread (the steadier figure on a shared machine).
3. ``write_package`` (what ``flask export-hsds`` runs) of every listing to a folder: seconds.
4. At ~200,000 listings (the real ones x10, jittered copies): the ``format=ndjson`` stream of
   every service, its seconds and the peak memory Python allocated while streaming
   (tracemalloc), next to the same at 19k: flat memory means it streams.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench.bench_api import load_directories, make_database, percentiles, scale_listings


def timed(client, urls: list[str]) -> tuple[dict, dict]:
    """Percentiles of each request's wall-clock time and of its thread's CPU time (ms): on a
    shared machine the CPU time leaves out the waits for other processes."""
    wall, cpu = [], []
    for url in urls:
        started, started_cpu = time.perf_counter(), time.thread_time()
        response = client.get(url)
        cpu.append((time.thread_time() - started_cpu) * 1000)
        wall.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return percentiles(wall), percentiles(cpu)


def feed_urls(client, count: int) -> list[str]:
    urls, since = [], ""
    for _ in range(count):
        urls.append(f"/api/v1/changes?limit=100&since={since}")
        body = client.get(urls[-1]).get_json()
        since = body["next"] if body["more"] else ""
    return urls


def stream_ndjson(client) -> tuple[int, float, float]:
    """Lines, seconds and peak traced MiB of streaming every service as ndjson."""
    tracemalloc.start()
    started = time.perf_counter()
    response = client.get("/hsds/services?format=ndjson", buffered=False)
    lines = sum(chunk.count(b"\n") for chunk in response.response)
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    response.close()
    return lines, seconds, peak


def export_seconds(app) -> tuple[float, dict]:
    from directory.extensions import db
    from directory.hsds.package import write_package

    with app.app_context(), tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        counts = write_package(db.session, Path(folder) / "package", "Benchmark")
        return time.perf_counter() - started, counts


def show(label: str, figures: tuple[dict, dict]) -> None:
    for kind, found in zip(("wall", "CPU"), figures, strict=True):
        print(f"{label} {kind}: p50 {found['p50']:.1f} / p95 {found['p95']:.1f} / "
              f"p99 {found['p99']:.1f} ms")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--skip-200k", action="store_true")
    parser.add_argument("--requests-only", action="store_true", help="only the two request mixes")
    args = parser.parse_args()
    from directory import create_app

    with tempfile.TemporaryDirectory() as workdir:
        make_database(Path(workdir))
        app = create_app()
        count, seconds, source = load_directories(app)
        print(f"{count} listings from {source} in {seconds:.1f} s")
        client = app.test_client()
        rng = random.Random(7)
        pages = -(-count // 100)
        client.get("/hsds/services/warm-up")  # the id table, learnt once per process
        urls = [f"/hsds/services?per_page=100&page={rng.randint(1, pages)}"
                for _ in range(args.requests)]  # fmt: skip
        show("/hsds/services?per_page=100", timed(client, urls))
        show("/api/v1/changes?limit=100", timed(client, feed_urls(client, args.requests)))
        if args.requests_only:
            return
        seconds, counts = export_seconds(app)
        print(f"export-hsds of {counts['service']} services "
              f"({sum(counts.values())} rows in all): {seconds:.1f} s")  # fmt: skip
        lines, seconds, peak = stream_ndjson(client)
        print(f"ndjson at {lines} services: {seconds:.1f} s, peak {peak:.1f} MiB traced")
        if not args.skip_200k:
            count, _seconds = scale_listings(app, 10, seed=7)
            lines, seconds, peak = stream_ndjson(client)
            print(f"ndjson at {lines} services: {seconds:.1f} s, peak {peak:.1f} MiB traced")


if __name__ == "__main__":
    main()
