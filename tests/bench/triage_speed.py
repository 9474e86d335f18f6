"""Speed of the lexicon risk scorer: scores the triage corpus 1,000 times and prints one JSON
object: phrases per second, mean and p99 microseconds per message (wall clock), the same per
message in process CPU time (steadier on a shared machine: compare with `load_average`), and the
mean for a 500-character message.

Run from the repository root: `.venv/bin/python tests/bench/triage_speed.py [rounds]`.
Not collected by pytest (`norecursedirs` excludes tests/bench).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
from pathlib import Path
from time import perf_counter_ns, process_time_ns

from server.triage import default_scorer

CORPUS = Path(__file__).resolve().parents[1] / "triage" / "corpus.tsv"


def phrases() -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            _level, locale, text, *_tags = line.split("\t")
            rows.append((text, locale))
    return rows


def percentile(sorted_samples: list[int], fraction: float) -> int:
    return sorted_samples[max(0, int(len(sorted_samples) * fraction) - 1)]


def main(rounds: int = 1000) -> None:
    scorer = default_scorer()
    rows = phrases()
    for text, locale in rows:  # warm up: compile the regexes, fill caches
        scorer.score(text, locale)
    samples: list[int] = []
    cpu_samples: list[int] = []
    started = perf_counter_ns()
    for _ in range(rounds):
        for text, locale in rows:
            c0 = process_time_ns()
            t0 = perf_counter_ns()
            scorer.score(text, locale)
            t1 = perf_counter_ns()
            cpu_samples.append(process_time_ns() - c0)
            samples.append(t1 - t0)
    elapsed_s = (perf_counter_ns() - started) / 1e9
    samples.sort()
    cpu_samples.sort()
    long_message = ("je sais pas trop quoi dire, ça va pas fort en ce moment, les cours. " * 8)[
        :500
    ]
    long_samples: list[int] = []
    long_cpu: list[int] = []
    for _ in range(2000):
        c0 = process_time_ns()
        t0 = perf_counter_ns()
        scorer.score(long_message)
        long_samples.append(perf_counter_ns() - t0)
        long_cpu.append(process_time_ns() - c0)
    print(
        json.dumps(
            {
                "phrases": len(rows),
                "rounds": rounds,
                "scored": len(samples),
                "phrases_per_second": round(len(samples) / elapsed_s),
                "mean_us": round(statistics.fmean(samples) / 1000, 2),
                "p99_us": round(percentile(samples, 0.99) / 1000, 2),
                "cpu_mean_us": round(statistics.fmean(cpu_samples) / 1000, 2),
                "cpu_p99_us": round(percentile(cpu_samples, 0.99) / 1000, 2),
                "message_500_chars_mean_us": round(statistics.fmean(long_samples) / 1000, 2),
                "message_500_chars_cpu_mean_us": round(statistics.fmean(long_cpu) / 1000, 2),
                "load_average": round(os.getloadavg()[0], 2),
                "cpus": os.cpu_count(),
            }
        )
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
