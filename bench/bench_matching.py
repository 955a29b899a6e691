"""Benchmark the matcher over a synthetic national set of providers (a script, not a test).

Usage, from the repository root:

    python -m bench.bench_matching [--sizes 19000 200000] [--queries 2000] [--seed 7]

Providers are placed near real ZIP centroids from the offline gazetteer, with seeded,
roughly SAMHSA-like attribute mixes (some families unreported). Queries come from urban
origins (a provider's ZIP) and rural ones (any ZIP centroid), radius 10-100 miles, 0-6
criteria, some must-haves, half accepting telehealth. Prints p50/p95/p99 in ms for the
first page of 20 results (what the API asks for) and for all results, and the index memory.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import datetime, timedelta

from directory.geo import gazetteer
from directory.matching import Needs, Origin, ProviderIndex, ProviderRecord, match
from directory.matching.needs import CRITERION_TABLE
from directory.vocabulary import FAMILIES

JITTER_DEGREES = 0.03
SOON = datetime(2100, 1, 1) + timedelta(days=14)


def some(rng: random.Random, family: str, low: int, high: int, reported: float):
    """A random set of a family's codes, or None (not reported) with probability 1 - reported."""
    if rng.random() > reported:
        return None
    codes = FAMILIES[family].codes
    return frozenset(rng.sample(codes, rng.randint(low, min(high, len(codes)))))


def synthetic_provider(rng: random.Random, i: int, zips) -> ProviderRecord:
    place = rng.choice(zips)
    located = rng.random() > 0.02
    languages = some(rng, "language", 0, 2, 0.7)
    return ProviderRecord(
        id=f"prov-{i:06d}",
        name=f"Provider {rng.randint(0, 10**6):06d}",
        lat=place.lat + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES) if located else None,
        lon=place.lon + rng.uniform(-JITTER_DEGREES, JITTER_DEGREES) if located else None,
        state=place.state,
        service_types=some(rng, "service_type", 1, 2, 1.0),
        care_levels=some(rng, "care_level", 1, 3, 0.97),
        dual_diagnosis=rng.choice([None, "none", "capable", "capable", "enhanced"]),
        therapies=some(rng, "therapy", 2, 8, 0.85),
        medications=some(rng, "medication", 0, 4, 0.6),
        payments=some(rng, "payment", 1, 6, 0.9),
        age_groups=some(rng, "age_group", 1, 4, 0.8),
        genders=some(rng, "gender", 1, 2, 0.8),
        populations=some(rng, "population", 0, 3, 0.6),
        languages=None if languages is None else languages | {"en"},
        telehealth=rng.choice([True, True, False, False, None]),
        availability_status=rng.choice(["accepting", "waitlist", "not_accepting", "unknown"]),
        availability_expires_at=rng.choice([None, SOON]),
    )


def random_needs(rng: random.Random) -> Needs:
    """0-6 criteria with random codes, some of them must-haves, telehealth half the time."""
    chosen = rng.sample([c for c in CRITERION_TABLE if c.name != "telehealth"], rng.randint(0, 6))
    values: dict = {"radius_miles": rng.uniform(10, 100), "telehealth": rng.random() < 0.5}
    for criterion in chosen:
        if not criterion.takes_codes:
            values[criterion.needs_field] = True
            continue
        codes = FAMILIES[criterion.family].codes
        if criterion.repeatable:
            values[criterion.needs_field] = frozenset(rng.sample(codes, rng.randint(1, 2)))
        else:
            values[criterion.needs_field] = rng.choice(codes)
    partial = Needs(**values)
    required = frozenset(c for c in partial.criteria() if rng.random() < 0.4)
    return Needs(**values, required=required)


def random_origin(rng: random.Random, records, zips) -> Origin:
    if rng.random() < 0.5:  # urban: where providers are
        record = rng.choice(records)
        while record.lat is None:
            record = rng.choice(records)
        return Origin(record.lat, record.lon, record.state)
    place = rng.choice(zips)  # rural or anywhere
    return Origin(place.lat, place.lon, place.state)


def percentiles(samples: list[float]) -> str:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return f"p50 {cuts[49]:6.2f} ms  p95 {cuts[94]:6.2f} ms  p99 {cuts[98]:6.2f} ms"


def bench(size: int, queries: int, seed: int) -> None:
    rng = random.Random(seed)
    zips = gazetteer().zips()
    records = [synthetic_provider(rng, i, zips) for i in range(size)]
    started = time.perf_counter()
    index = ProviderIndex.build(records)
    build_seconds = time.perf_counter() - started
    workload = [(random_needs(rng), random_origin(rng, records, zips)) for _ in range(queries)]
    for needs, origin in workload[:50]:  # warm up
        match(index, needs, origin, limit=20)
    per_provider, mebibytes = index.nbytes() / size, index.nbytes() / 2**20
    print(f"\n{size:,} providers: index built in {build_seconds:.2f} s, ", end="")
    print(f"{per_provider:.0f} bytes of arrays per provider ({mebibytes:.1f} MiB)")
    for label, limit in (("first page of 20", 20), ("all results     ", None)):
        timings, totals = [], []
        for needs, origin in workload:
            started = time.perf_counter()
            outcome = match(index, needs, origin, limit=limit)
            timings.append((time.perf_counter() - started) * 1000)
            totals.append(outcome.total)
        print(
            f"  {label}: {percentiles(timings)}  (median results {statistics.median(totals):.0f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[19_000, 200_000])
    parser.add_argument("--queries", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    for size in args.sizes:
        bench(size, args.queries, args.seed)


if __name__ == "__main__":
    main()
