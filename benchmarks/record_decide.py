"""Record the decide project's equal-gain exchange model on its two climate cases, round by
round, as the reference that tests/test_exchange_decide.py checks our ``protocol="decide"``
against (tests/data/decide/README.md says what the files hold).

Runs in its own environment, where ``decide-exchange-model`` is installed (it is not a
dependency of Statecraft)::

    python3.11 -m venv /tmp/venv-decide
    /tmp/venv-decide/bin/pip install decide-exchange-model==2022.1.28
    QT_QPA_PLATFORM=offscreen /tmp/venv-decide/bin/python benchmarks/record_decide.py

It reads decide's sample inputs from tests/data/decide/ (copies of the files in
../shared/data/cases/decide/) and writes ``<case>.decide.json`` next to them. decide breaks
exact ties between gains with a coin flip by default; this turns that off
(``EqualGainModel.ALLOW_RANDOM = False``), so that the exchange listed first among equal
gains goes first and a run repeats exactly.
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parents[1] / "tests" / "data" / "decide"
CASES = ("cop21", "copenhagen")
#: An exchange as recorded: I (who gives way on its supply issue, from and to) and J.
FIELDS = ("i", "i_supplies", "i_from", "i_to", "j", "j_supplies", "j_from", "j_to", "gain")


def _num(v: Any) -> float:
    return round(float(v), 10)


def record(path: Path, rounds: int) -> dict[str, Any]:
    """decide's run of ``path``: per round, the outcome of every issue at the start and
    after the exchanges, and the exchanges in the order decide made them."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import random
    from importlib.metadata import version

    from decide.data.modelfactory import ModelFactory
    from decide.data.reader import InputDataFile
    from decide.model.equalgain import EqualGainModel
    from decide.model.observers.observer import Observable, Observer
    from decide.model.utils import ModelLoop

    out: list[dict[str, Any]] = []

    class Recorder(Observer):  # type: ignore[misc]
        def after_loop(self, realized: Any, iteration: Any, repetition: Any) -> None:
            nbs = self.model_ref.nbs  # still the round's start
            out.append(
                {
                    "round": int(iteration) + 1,
                    "start": {str(k.issue_id): _num(v) for k, v in nbs.items()},
                    "exchanges": [
                        [
                            str(e.i.actor.actor_id),
                            str(e.i.supply.issue.issue_id),
                            _num(e.i.supply.position),
                            _num(e.i.y),
                            str(e.j.actor.actor_id),
                            str(e.j.supply.issue.issue_id),
                            _num(e.j.supply.position),
                            _num(e.j.y),
                            _num(e.gain),
                        ]
                        for e in realized
                    ],
                }
            )

        def end_loop(self, iteration: Any, repetition: Any) -> None:
            nbs = self.model_ref.nbs  # now the voting positions'
            out[-1]["voting"] = {str(k.issue_id): _num(v) for k, v in nbs.items()}

    random.seed(0)
    EqualGainModel.ALLOW_RANDOM = False
    data = InputDataFile.open(str(path))
    model = ModelFactory(data)(model_klass=EqualGainModel, randomized_value=None)
    for issue in model.issues.values():  # the recorded values are on the 0-100 scale
        assert (issue.lower, issue.upper) == (0, 100), issue
    events = Observable(model_ref=model, output_directory="/tmp")
    Recorder(events)
    loop = ModelLoop(model, events, 0)
    for _ in range(rounds):
        loop.loop()
    return {
        "source": f"decide-exchange-model {version('decide-exchange-model')}, "
        "EqualGainModel, ALLOW_RANDOM = False, randomized_value=None",
        "input": path.name,
        "exchange_fields": list(FIELDS),
        "rounds": out,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    for case in CASES:
        data = record(HERE / f"{case}.csv", args.rounds)
        target = HERE / f"{case}.decide.json"
        n = sum(len(r["exchanges"]) for r in data["rounds"])
        rows = ",\n".join(json.dumps(r, separators=(",", ":")) for r in data.pop("rounds"))
        head = json.dumps(data, indent=1)[:-2]
        target.write_text(f'{head},\n "rounds": [\n{rows}\n]}}\n')
        print(f"{target}: {args.rounds} rounds, {n} exchanges")


if __name__ == "__main__":
    main()
