"""Benchmark: server time to render the public results page over the national directory.

Imports both SAMHSA 2022 directories into a temporary SQLite database (or seeds the same
number of demo listings when ../shared is absent), then renders ``/search`` for a fixed,
seeded mix of realistic queries through the app (no network) and prints p50/p95/p99 in
milliseconds, with the page weights. Run from the repository root:

    .venv/bin/python -m bench.bench_pages [--queries 600]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

from directory import create_app
from directory.extensions import db

SAMHSA = Path(__file__).resolve().parents[2] / "shared" / "data" / "samhsa-2022"
ORIGINS = ["Denver, CO", "10001", "Los Angeles, CA", "60614", "Houston, TX", "Seattle, WA",
           "Miami, FL", "59301", "Cody, WY", "Bangor, ME", "87301", "Boise, ID", "Fargo, ND",
           "Atlanta, GA", "Baltimore, MD", "Phoenix, AZ", "Anchorage, AK", "04401"]  # fmt: skip
CRITERIA = [("care_level", "outpatient"), ("care_level", "detox"), ("care_level", "residential"),
            ("payment", "medicaid"), ("payment", "private_insurance"), ("therapy", "cbt"),
            ("therapy", "dbt"), ("medication", "buprenorphine"), ("co_occurring", "true"),
            ("age_group", "adolescents"), ("language", "es"), ("telehealth", "true")]  # fmt: skip


def build_app(folder: Path):
    database = folder / "bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "SECRET_KEY": "bench",
                      "SESSION_COOKIE_SECURE": False})  # fmt: skip
    runner = app.test_cli_runner()
    runner.invoke(args=["init-db"])
    files = sorted(SAMHSA.glob("*_facilities_2022.csv"))
    if files:
        result = runner.invoke(args=["import-samhsa", *map(str, files)])
        print(result.output.strip().splitlines()[-1])
    else:
        print("../shared is absent: seeding 19,000 demo listings instead")
        runner.invoke(args=["seed-demo", "--count", "19000"])
    return app


def queries(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    mix = []
    for _ in range(count):
        query = {"location": rng.choice(ORIGINS), "radius": str(rng.choice([10, 25, 50, 100]))}
        for name, value in rng.sample(CRITERIA, rng.randint(0, 6)):
            query.setdefault(name, value)
        if rng.random() < 0.2:
            query["sort"] = "distance"
        mix.append(query)
    return mix


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--queries", type=int, default=600)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = build_app(Path(folder))
        client = app.test_client()
        mix = queries(options.queries)
        for query in mix[:20]:  # warm up: the index, the templates, the gazetteer
            client.get("/search", query_string=query)
        times, sizes = [], []
        for query in mix:
            start = time.perf_counter()
            response = client.get("/search", query_string=query)
            times.append((time.perf_counter() - start) * 1000)
            sizes.append(len(response.data))
            assert response.status_code == 200, (query, response.status_code)
        css = sum((Path("static/css") / name).stat().st_size for name in ("site.css", "map.css"))
        js = (Path("static/js") / "site.js").stat().st_size
        print(f"results page render over {options.queries} queries: "
              f"p50 {percentile(times, 0.5):.1f} ms, p95 {percentile(times, 0.95):.1f} ms, "
              f"p99 {percentile(times, 0.99):.1f} ms")  # fmt: skip
        print(
            f"results page HTML: median {statistics.median(sizes) / 1024:.1f} KB, "
            f"max {max(sizes) / 1024:.1f} KB; CSS {css / 1024:.1f} KB; JS {js / 1024:.1f} KB"
        )
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
