"""Measure every registered model's errors on the DEU development file and write the error
record that ships with Statecraft (src/statecraft/data/model-errors.json).

    python scripts/fit_errors.py [PATH] [--folds 10] [--seed 0] [--check]

PATH defaults to the DEU III development file, ../shared/data/deu3/deu3-dev.tsv. Every
registered model forecasts every issue with its default options (capability rule ``equal``).
Each residual is (actual - forecast) / (scale high - scale low), a share of the scale's
width. None of these models has a parameter fitted on this file, so each residual is out of
sample already; the folds (proposals dealt from the seed) measure how well intervals built
from the residuals of other proposals cover the outcomes: the record carries those
cross-validated figures with the residuals (statecraft.analysis.calibration). With --check,
nothing is written: the script exits 1 if the shipped file differs from what it would write.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

import statecraft
from statecraft.analysis.backtest import forecast_table, outcomes
from statecraft.analysis.calibration import cross_validated, grouped_folds
from statecraft.analysis.fitted import sha256
from statecraft.io.deu import read_deu
from statecraft.models import available_models

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "data" / "deu3" / "deu3-dev.tsv"
SHIPPED = ROOT / "src" / "statecraft" / "data" / "model-errors.json"
DIGITS = 6  # residual shares to 1e-6 of the width: the last bits differ between machines


def build(
    path: Path, folds: int, seed: int, forecasts: Mapping[str, np.ndarray] | None = None
) -> dict[str, Any]:
    """The error record of every registered model on the DEU table at ``path``.
    ``forecasts``: the models' forecasts of that table (with the defaults and the capability
    rule ``equal``), if already made, such as a backtest's; else they are made here."""
    table = read_deu(path)
    actual = outcomes(table)
    scales = [item.scenario.issues[0].scale for item in table.issues]
    low = np.array([s.low for s in scales])
    high = np.array([s.high for s in scales])
    proposals = np.array([item.proposal for item in table.issues])
    fold = grouped_folds(list(proposals), folds, seed)
    if forecasts is None:
        forecasts = forecast_table(table, list(available_models()))
    models: dict[str, Any] = {}
    for name in available_models():
        forecast = forecasts[name]
        ok = ~np.isnan(forecast)
        share = (actual[ok] - forecast[ok]) / (high[ok] - low[ok])
        width = high - low  # scored as shares of the width: the CRPS is then a share too
        cal = cross_validated(
            (forecast - low) / width, (actual - low) / width, 0 * low, 1 + 0 * low, fold
        )
        models[name] = {
            "issues": int(ok.sum()),
            "proposals": len(set(proposals[ok])),
            "cross_validated": {
                "issues": cal.n,
                "crps_share": None if cal.crps is None else round(cal.crps, DIGITS),
                "coverage80": cal.coverage[0.8],
                "coverage95": cal.coverage[0.95],
            },
            "residuals": [round(float(r), DIGITS) + 0.0 for r in np.sort(share)],
        }
    return {
        "about": "Each registered model's errors on real decisions, as shares of the issue's "
        "scale width; see docs/calibration.md.",
        "made_by": "scripts/fit_errors.py",
        "residual": "(actual - forecast) / (scale high - scale low), sorted",
        "fitted_on": {
            "file": path.name,
            "sha256": sha256(path),
            "issues": len(table.issues),
            "proposals": len(table.proposals),
            "capability": table.capability,
            "missing_salience": 50,
            "options": "defaults",
        },
        "cross_validation": {
            "folds": folds,
            "seed": seed,
            "grouped_by": "proposal",
            "levels": [0.8, 0.95],
            "predictive": "each issue's forecast plus the residuals of the other folds, "
            "held within the scale; crps_share is the mean CRPS as a share of the width",
        },
        "models": models,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    data = build(args.path, args.folds, args.seed)
    text = json.dumps(data, indent=1) + "\n"
    print(
        f"statecraft {statecraft.__version__}; {args.path.name}: "
        f"{data['fitted_on']['issues']} issues, {args.folds} folds from seed {args.seed}"
    )
    for name, entry in data["models"].items():
        cv = entry["cross_validated"]
        print(
            f"{name:18s} {entry['issues']:4d} issues; out of fold: CRPS "
            f"{100 * cv['crps_share']:.2f} points, inside 80%: {cv['coverage80']:.3f}, "
            f"inside 95%: {cv['coverage95']:.3f}"
        )
    if args.check:
        same = SHIPPED.is_file() and SHIPPED.read_text("utf-8") == text
        print("the shipped error record is current" if same else "the shipped record differs")
        return 0 if same else 1
    SHIPPED.write_text(text, "utf-8")
    print(f"wrote {SHIPPED.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
