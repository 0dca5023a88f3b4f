"""How long the linked-issue models take on KTAB's example files of 40, 80 and 160 actors.

Prints, for each file, the actors, the turns run and the seconds of one run (the best of
``--repeat``), measured in one process. Needs ../shared/data (skips the files it lacks).

    .venv/bin/python benchmarks/linked_speed.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from statecraft.io import load
from statecraft.models import run_spatial

KTAB = Path(__file__).resolve().parents[2] / "shared" / "data" / "cases" / "ktab"
FILES = ("dummyData-a040.csv", "dummyData-a080.csv", "dummyData-a160.csv")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'model':<8} {'file':<22} {'actors':>6} {'turns':>5} {'seconds':>8}")
    for name in FILES:
        path = KTAB / name
        if not path.exists():
            print(f"{name}: not found in {KTAB}, skipped")
            continue
        s = load(path)
        ids = s.issue_ids
        x = np.array([[a.stances[i].position.value / 100 for i in ids] for a in s.actors])
        sal = np.array([[a.stances[i].salience.value for i in ids] for a in s.actors])
        c = np.array([a.capability.value for a in s.actors])
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = run_spatial(x, sal, c)
            best = min(best, time.perf_counter() - start)
        print(f"{'spatial':<8} {name:<22} {len(c):>6} {result.turns:>5} {best:>8.2f}")


if __name__ == "__main__":
    main()
