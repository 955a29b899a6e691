"""Say it in your own words: the parser's score on the request corpus, and its speed.

    .venv/bin/python -m bench.bench_words [--show]

Prints every case that is not read exactly right (``--show``: every case and what it became),
the exact-match score, the must-haves invented (must be 0), and the parse time per sentence
(p50 / p95 / p99 over the corpus, 20 rounds, after one warm-up round that loads the gazetteer).
"""

from __future__ import annotations

import statistics
import sys
import time
import tomllib
from pathlib import Path

from directory.search.words import corpus_score, understand_offline

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "unit" / "words_corpus.toml"
ROUNDS = 20


def main(show: bool = False) -> None:
    cases = tomllib.loads(CORPUS.read_text(encoding="utf-8"))["case"]
    started = time.perf_counter()
    understand_offline("warm up: rehab near Tucson")
    print(
        f"first parse (loads the gazetteer and phrase table): {time.perf_counter() - started:.2f} s"
    )
    score = corpus_score(cases)
    for failure in score.failures:
        print("NOT EXACT", failure)
    if show:
        for case in cases:
            print(f"{case['text']!r} -> {understand_offline(case['text']).parameters()}")
    spanish = sum(case["language"] == "es" for case in cases)
    print(f"corpus: {score.total} requests ({score.total - spanish} English, {spanish} Spanish)")
    print(f"exactly right: {score.exact}/{score.total} = {score.exact / score.total:.1%}")
    print(f"must-haves invented: {score.invented_must_haves}")
    timings = []
    for _ in range(ROUNDS):
        for case in cases:
            begun = time.perf_counter()
            understand_offline(case["text"])
            timings.append((time.perf_counter() - begun) * 1000)
    cuts = statistics.quantiles(timings, n=100)
    print(f"parse time per sentence over {len(timings)} parses: p50 {cuts[49]:.2f} ms, "
          f"p95 {cuts[94]:.2f} ms, p99 {cuts[98]:.2f} ms (target p95 <= 5 ms)")  # fmt: skip


if __name__ == "__main__":
    main(show="--show" in sys.argv)
