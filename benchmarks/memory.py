"""Memory at 100,000 memories (SPEC §14: `memory search` p50 ≤ 5 ms in-process; `run --once` ≤ 2×
the same on a fresh data dir).

Seeds N memories THROUGH THE MEMORY SERVICE: hot memories spread over the past year (Zipf-
distributed words from a 20,000-word vocabulary, so some words are in many memories and most
are rare), then one consolidation moves all but the newest `memory.hot_capacity` to cold — the
shape of a long-lived data dir. Then times `MemoryService.search` in-process (p50 / p95 over Q
queries of 1–3 words) and `praxis run --once` on the seeded dir vs. a fresh one (best of R,
alternating). Prints one figure a line.
"""

from __future__ import annotations

import argparse
import itertools
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _timing import compare_runs, fresh_and_seeded, praxis_command

# The session's task: words of the seeded vocabulary (a common, a middling and a rare one), so
# orient's memory search does real work on the seeded dir.
TASK_WORD_RANKS = (2, 40, 900)


def vocabulary(size: int) -> list[str]:
    consonants, vowels = "bcdfghklmnprstvz", "aeiou"
    syllables = [c + v for c in consonants for v in vowels]
    words = ["".join(p) for n in (2, 3) for p in itertools.product(syllables, repeat=n)]
    random.Random(11).shuffle(words)
    return words[:size]


def seed(data: Path, memories: int, rng: random.Random, words: list[str]) -> float:
    """Add `memories` through MemoryService (committed every 5,000), then consolidate.
    Returns the consolidation's seconds."""
    from praxis import clock
    from praxis.app import Praxis
    from praxis.memory.service import MemoryService
    from praxis.paths import DataDir

    weights = [1.0 / (rank + 1) for rank in range(len(words))]
    app = Praxis(DataDir(data))
    try:
        service = MemoryService.of(app)
        now = clock.now()
        conn = app.db
        conn.execute("BEGIN IMMEDIATE")
        for j in range(memories):
            text = " ".join(rng.choices(words, weights, k=rng.randint(8, 16)))
            when = now - timedelta(minutes=(memories - j) * 525_600 // memories)
            tags = [rng.choice(words[:50])]
            service.add(f"{text} {j}", tags, clock.format_timestamp(when))
            if j % 5000 == 4999:
                conn.execute("COMMIT")
                conn.execute("BEGIN IMMEDIATE")
        conn.execute("COMMIT")
        started = time.perf_counter()
        service.consolidate(clock.now_text())
        return time.perf_counter() - started
    finally:
        app.close()


def search_times(data: Path, queries: list[str]) -> tuple[list[float], float]:
    """Seconds per in-process search (the orient path: 6 results across both tiers)."""
    from praxis import clock
    from praxis.app import Praxis
    from praxis.memory.service import MemoryService
    from praxis.paths import DataDir

    app = Praxis(DataDir(data))
    try:
        service = MemoryService.of(app)
        now = clock.now_text()
        for query in queries[:20]:  # warm the page cache, as a running session has it
            service.search(query, now, 6)
        times, found = [], 0
        for query in queries:
            started = time.perf_counter()
            found += len(service.search(query, now, 6))
            times.append(time.perf_counter() - started)
        stats = service.stats()
        print(f"memories: hot={stats.hot} cold={stats.cold}")
        return times, found / len(queries)
    finally:
        app.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--memories", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    praxis = praxis_command()
    rng = random.Random(7)
    words = vocabulary(20_000)
    weights = [1.0 / (rank + 1) for rank in range(len(words))]
    task = " ".join(words[rank] for rank in TASK_WORD_RANKS)
    queries = [
        " ".join(rng.choices(words, weights, k=rng.randint(1, 3))) for _ in range(args.queries)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        fresh, seeded = fresh_and_seeded(praxis, Path(tmp))
        started = time.perf_counter()
        consolidate_seconds = seed(seeded, args.memories, rng, words)
        print(f"seed_seconds: {time.perf_counter() - started:.1f} ({args.memories} memories)")
        print(f"consolidate_seconds: {consolidate_seconds:.1f}")
        times, average = search_times(seeded, queries)
        ms = sorted(t * 1000 for t in times)
        p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
        print(f"search_results_avg: {average:.1f}")
        print(f"search_p50_ms: {statistics.median(ms):.2f} (target <= 5)")
        print(f"search_p95_ms: {p95:.2f}")
        print(f"seeded_with: {args.memories} memories")
        compare_runs(praxis, fresh, seeded, task, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
