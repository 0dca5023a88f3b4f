"""Fit the DEU models' parameters, score them by cross-validation grouped by proposal, and
write the parameters that ship with Statecraft (src/statecraft/data/deu-fitted.json).

    python scripts/fit_deu.py [PATH] [--folds 10] [--seed 0] [--repeats 5] [--check]

PATH defaults to the DEU III development file, ../shared/data/deu3/deu3-dev.tsv. The
families and their grids are in statecraft.analysis.fitted. The cross-validated mean
absolute errors are the figures to quote; the parameters fitted on the whole file are
in-sample there. With --check, nothing is written: the script exits 1 if the shipped file
differs from what it would write. Needs SciPy (pip install 'statecraft[fit]').
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
from rich.progress import Progress

import statecraft
from statecraft.analysis.backtest import forecast_table, outcomes
from statecraft.analysis.fitted import FAMILIES, cross_validate, sha256
from statecraft.io.deu import read_deu

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "data" / "deu3" / "deu3-dev.tsv"
SHIPPED = ROOT / "src" / "statecraft" / "data" / "deu-fitted.json"


def build(path: Path, folds: int, seed: int, repeats: int) -> dict[str, Any]:
    table = read_deu(path)
    actual = outcomes(table)
    with Progress(transient=True) as bar:
        task = bar.add_task("fitting", total=None)

        def progress(what: str, done: int, total: int) -> None:
            bar.update(task, description=what, completed=done, total=total)

        cv = cross_validate(
            table, FAMILIES, folds=folds, seed=seed, repeats=repeats, progress=progress
        )
    base = forecast_table(table, ["compromise"])["compromise"]
    return {
        "about": "Parameters of Statecraft's fitted DEU models; see docs/backtest.md.",
        "made_by": "scripts/fit_deu.py",
        "fitted_on": {
            "file": path.name,
            "sha256": sha256(path),
            "issues": len(table.issues),
            "proposals": len(table.proposals),
            "capability": table.capability,
            "missing_salience": 50,
        },
        "cross_validation": {
            "folds": folds,
            "seed": seed,
            "repeats": repeats,
            "grouped_by": "proposal",
            "compromise_mae": round(float(np.mean(np.abs(base - actual))), 4),
            "mae": {f: round(m[0], 4) for f, m in cv.repeat_mae.items()},
            "mae_by_repeat": {f: [round(x, 4) for x in m] for f, m in cv.repeat_mae.items()},
        },
        "families": {
            f: {"parameters": cv.fitted[f], "per_fold": list(cv.parameters[f])} for f in FAMILIES
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    data = build(args.path, args.folds, args.seed, args.repeats)
    text = json.dumps(data, indent=2) + "\n"
    cv = data["cross_validation"]
    print(
        f"statecraft {statecraft.__version__}; {args.path.name}: "
        f"{data['fitted_on']['issues']} issues"
    )
    print(f"compromise (no parameters): MAE {cv['compromise_mae']:.2f}")
    for family in FAMILIES:
        runs = cv["mae_by_repeat"][family]
        print(
            f"{family:16s} cross-validated MAE {runs[0]:.2f} "
            f"(over {len(runs)} dealings {min(runs):.2f} to {max(runs):.2f}); "
            f"fitted on all: {data['families'][family]['parameters']}"
        )
    if args.check:
        same = SHIPPED.is_file() and SHIPPED.read_text("utf-8") == text
        print("the shipped parameters are current" if same else "the shipped parameters differ")
        return 0 if same else 1
    SHIPPED.write_text(text, "utf-8")
    print(f"wrote {SHIPPED.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
