"""The time of a full lever table (statecraft advise) for karabakh-2020 under each one-issue
model, with 1,000 draws of the uncertain inputs for robustness.

Prints, per model, the seconds of the lever table alone (flips=False) and of the flip search
alone (what_flips), and the total of the lever tables over the one-issue models. Best of
``--repeat`` runs, on this machine. ``--models`` picks some models (default: every one-issue
model).

    .venv/bin/python benchmarks/advise.py [--draws 1000] [--repeat 1] [--actor armenia]
"""

from __future__ import annotations

import argparse
import time

import statecraft as sc
from statecraft.models import available_models


def _best(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--actor", default="armenia")
    parser.add_argument("--models", nargs="*", default=None)
    args = parser.parse_args()
    s = sc.load("karabakh-2020")
    one_issue = args.models or [
        name for name, cls in available_models().items() if not cls.links_issues
    ]
    total = 0.0
    print(f"karabakh-2020, levers for {args.actor}, {args.draws:,} draws for robustness")
    print(f"{'model':<20} {'levers (s)':>11} {'flips (s)':>10}")
    for name in one_issue:
        levers = _best(
            lambda name=name: sc.advise(s, args.actor, model=name, draws=args.draws, flips=False),
            args.repeat,
        )
        flips = _best(lambda name=name: sc.what_flips(s, name), args.repeat)
        total += levers
        print(f"{name:<20} {levers:>11.2f} {flips:>10.2f}")
    print(f"{'all one-issue models':<20} {total:>11.2f}")


if __name__ == "__main__":
    main()
