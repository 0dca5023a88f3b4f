"""Our exchange model against the decide project's (PyPI ``decide-exchange-model``) on the
COP21 and Copenhagen climate cases: the expected outcome of every issue, round by round.

Prints, per case and issue, the outcome at the start of rounds 1, 2, 5 and 10 and after the
last round's trades, under decide's model and ours, and the mean absolute difference. Needs
``pip install decide-exchange-model`` (it brings PyQt5 and is not a dependency of
Statecraft) and ../shared/data; says so and stops when either is missing.

The package breaks exact ties between gains with a coin flip; this script turns that off
(``EqualGainModel.ALLOW_RANDOM = False``) so that a run repeats. docs/models/exchange.md
explains the differences this prints.

    python benchmarks/exchange_vs_decide.py [--rounds 10]
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

import numpy as np

from statecraft import forecast, load

CASES = Path(__file__).resolve().parents[2] / "shared" / "data" / "cases" / "decide"
SHOWN = (0, 1, 4, 9)  # rounds 1, 2, 5 and 10, counted from 0


def decide_outcomes(path: Path, rounds: int) -> dict[str, tuple[list[float], float]]:
    """Per issue: the outcome at the start of each round, and the voting outcome of the
    last round, on the issue's own scale, from the decide package."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import random

    from decide.data.modelfactory import ModelFactory
    from decide.data.reader import InputDataFile
    from decide.model.equalgain import EqualGainModel
    from decide.model.observers.observer import Observable, Observer
    from decide.model.utils import ModelLoop

    class Recorder(Observer):  # type: ignore[misc]
        def __init__(self, observable: Any) -> None:
            super().__init__(observable)
            self.start: dict[str, list[Any]] = {}
            self.voting: dict[str, Any] = {}

        def after_loop(self, realized: Any, iteration: Any, repetition: Any) -> None:
            for issue, value in self.model_ref.nbs.items():  # still the round's start
                self.start.setdefault(str(issue), []).append(value)

        def end_loop(self, iteration: Any, repetition: Any) -> None:
            for issue, value in self.model_ref.nbs.items():  # now the voting positions'
                self.voting[str(issue)] = value

    random.seed(0)
    EqualGainModel.ALLOW_RANDOM = False
    data = InputDataFile.open(str(path))
    model = ModelFactory(data)(model_klass=EqualGainModel, randomized_value=None)
    events = Observable(model_ref=model, output_directory="/tmp")
    recorder = Recorder(events)
    loop = ModelLoop(model, events, 0)
    for _ in range(rounds):
        loop.loop()
    out = {}
    for issue in model.issues.values():

        def scale(v: Any, issue: Any = issue) -> float:
            return float(issue.de_normalize(v))

        key = str(issue)
        out[str(issue.issue_id)] = (
            [scale(v) for v in recorder.start[key]],
            scale(recorder.voting[key]),
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    try:
        import decide  # noqa: F401
    except ImportError:
        print("decide-exchange-model is not installed: pip install decide-exchange-model")
        return
    for case in ("cop21.csv", "copenhagen.csv"):
        path = CASES / case
        if not path.exists():
            print(f"{path}: not found, skipped")
            continue
        theirs = decide_outcomes(path, args.rounds)
        f = forecast(load(path), "exchange", options={"rounds": args.rounds})
        ours = f.linked["exchange"]
        print(
            f"\n{case}: expected outcome at the start of rounds 1, 2, 5, 10, and after the "
            f"last round's trades (decide / ours)"
        )
        diffs = []
        for k, issue in enumerate(ours.issues):
            start, voting = theirs.get(issue, ([], float("nan")))
            mine = [float(r.start[k]) for r in ours.rounds]
            cells = []
            for r in SHOWN:
                a = start[r] if r < len(start) else float("nan")
                b = mine[r] if r < len(mine) else mine[-1]
                cells.append(f"{a:5.1f}/{b:5.1f}")
                diffs.append(abs(a - b))
            last = float(ours.rounds[-1].voting[k])
            diffs.append(abs(voting - last))
            print(f"  {issue:<16} " + "  ".join(cells) + f"   after {voting:5.1f}/{last:5.1f}")
        print(f"  mean absolute difference: {np.mean(diffs):.1f} points")


if __name__ == "__main__":
    main()
