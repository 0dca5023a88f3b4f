"""How long the linked-issue models take: the spatial model on KTAB's example files of 40,
80 and 160 actors, the exchange model on the COP21 and Copenhagen cases and KTAB's six-issue
file.

Prints, for each model and file, the actors, the issues, the rounds or turns run and the
seconds of one forecast (the best of ``--repeat``), measured in one process; a model that
does not apply to a file says why (the spatial model needs every actor on every issue; the
exchange model needs two issues). Needs ../shared/data (skips the files it lacks).

    .venv/bin/python benchmarks/linked_speed.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from statecraft import forecast
from statecraft.io import load

CASES = Path(__file__).resolve().parents[2] / "shared" / "data" / "cases"
RUNS = (
    ("spatial", "ktab/dummyData-a040.csv"),
    ("spatial", "ktab/dummyData-a080.csv"),
    ("spatial", "ktab/dummyData-a160.csv"),
    ("spatial", "decide/cop21.csv"),
    ("exchange", "decide/cop21.csv"),
    ("exchange", "decide/copenhagen.csv"),
    ("exchange", "ktab/dummyData_6Dim.csv"),
    ("exchange", "ktab/dummyData-a160.csv"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"{'model':<9} {'file':<24} {'actors':>6} {'issues':>6} {'steps':>5} {'seconds':>8}")
    for model, name in RUNS:
        path = CASES / name
        if not path.exists():
            print(f"{name}: not found in {CASES}, skipped")
            continue
        s = load(path)
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            f = forecast(s, model)
            best = min(best, time.perf_counter() - start)
        head = f"{model:<9} {path.name:<24} {len(s.actors):>6} {len(s.issues):>6}"
        if model not in f.linked:
            print(f"{head}   not applicable: {f.issues[0].not_applicable[model]}")
            continue
        d = f.linked[model]
        steps = d.result.turns if model == "spatial" else len(d.rounds)
        print(f"{head} {steps:>5} {best:>8.3f}")


if __name__ == "__main__":
    main()
