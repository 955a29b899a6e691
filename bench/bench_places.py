"""Place lookup speed: what people type, including misspellings (issue 10).

    python -m bench.bench_places [--rounds 200]

Prints p50/p95 milliseconds of ``locate`` per kind of input, after the gazetteer is loaded
(a worker loads it once, at start-up).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import time

from directory.geo import LocationNotFound, locate

INPUTS = {
    "ZIP and City, ST": ["80202", "Denver, CO", "Los Ángeles, CA", "Bayamón, PR"],
    "bare city, county, nickname": ["Boston", "Louisville", "Perry County, KY", "NYC", "LA"],
    "misspelling": ["Hazzard KY", "Hazzard", "Lousville", "Pheonix", "Cincinatti", "Sprngfld, MO"],
    "not a place": ["xqzzy", "Qwerty Uiop"],
}


def timed(text: str) -> float:
    start = time.perf_counter()
    with contextlib.suppress(LocationNotFound):
        locate(text)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    timed("Denver, CO")  # load the gazetteer
    timed("Hazzard KY")  # and the spelling index
    for kind, texts in INPUTS.items():
        samples = sorted(timed(text) for _ in range(args.rounds) for text in texts)
        p95 = samples[int(0.95 * (len(samples) - 1))]
        print(f"{kind:30} p50 {statistics.median(samples):6.2f} ms   p95 {p95:6.2f} ms")


if __name__ == "__main__":
    main()
