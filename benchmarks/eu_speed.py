"""Speed of the expected utility model against the plain reference implementation.

Prints, for n = 10, 40, 80 and 160 actors, the time per round of the vectorised model and of
the loop reference (tests/eu_reference.py), both measured in this run, and their ratio; then
10 rounds at n = 160 and 10,000 draws of the EC emissions case run to convergence. For 40,
80 and 160 actors the actors come from KTAB's example files in ../shared/data/cases/ktab
(first dimension) when that folder is there, else from a seeded random draw.

    .venv/bin/python benchmarks/eu_speed.py [--reference-rounds 1]
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests import eu_reference  # noqa: E402

import statecraft as sc  # noqa: E402
from statecraft.models.expected_utility import EUOptions, run_rounds  # noqa: E402

KTAB = ROOT.parent / "shared" / "data" / "cases" / "ktab"


def actors(n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, str]:
    """Positions, capabilities and saliences of n actors, and where they came from."""
    path = KTAB / f"dummyData-a{n:03d}.csv"
    if path.exists():
        rows = list(csv.reader(path.read_text().splitlines()))[2:]
        rows = [r for r in rows if len(r) > 4 and r[0].strip()]
        c = np.array([float(r[2]) for r in rows])
        x = np.array([float(r[3]) for r in rows])
        s = np.array([float(r[4]) for r in rows]) / 100.0
        return x, c, s, path.name
    rng = np.random.default_rng(n)
    return rng.uniform(0, 100, n), rng.uniform(1, 100, n), rng.uniform(0, 1, n), "random"


def timed(fn: object, *args: object, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn(*args)  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reference-rounds", type=int, default=1)
    args = parser.parse_args()
    ref_rounds = EUOptions(rounds=args.reference_rounds)
    print("time per round (default options), fast vs the loop reference, one core")
    print(f"{'n':>5} {'source':<22}{'fast ms/round':>15}{'reference ms/round':>20}{'ratio':>9}")
    for n in (10, 40, 80, 160):
        x, c, s, source = actors(n)
        o = EUOptions(rounds=10)
        fast = timed(run_rounds, x, c, s, o, repeat=3) / 11  # 10 rounds and the final view
        slow = timed(eu_reference.run, list(x), list(c), list(s), ref_rounds)
        slow /= args.reference_rounds
        print(f"{n:>5} {source:<22}{fast * 1e3:>15.2f}{slow * 1e3:>20.1f}{slow / fast:>8.0f}x")
    x, c, s, _ = actors(160)
    total = timed(run_rounds, x, c, s, EUOptions(rounds=10), repeat=3)
    print(f"\nn = 160, 10 rounds (and the final view): {total:.3f} s (target: under 1 s)")

    ec = sc.issue_arrays(sc.load("ec-emissions-1994"), "emissions")
    rng = np.random.default_rng(1994)
    draws = 10_000
    shape = (draws, ec.position.size)
    sal = np.clip(ec.salience * rng.uniform(0.8, 1.2, shape), 0.0, 1.0)
    cap = ec.capability * rng.uniform(0.8, 1.2, shape)
    pos = np.broadcast_to(ec.position, shape)
    o = EUOptions(stopping="tolerance", rounds=50)
    start = time.perf_counter()
    out = run_rounds(pos, cap, sal, o, record="summary")
    elapsed = time.perf_counter() - start
    converged = int((out["rounds"] < o.rounds).sum())
    print(
        f"EC case, {draws:,} draws (capability and salience +-20%), stopping=tolerance: "
        f"{elapsed:.2f} s (target: under 2 s); {converged:,} converged before {o.rounds} "
        f"rounds, median {np.median(out['rounds']):.0f} rounds"
    )


if __name__ == "__main__":
    main()
