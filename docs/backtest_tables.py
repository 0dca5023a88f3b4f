"""The tables of docs/backtest.md that the backtest command does not print itself.

- ``capability``: the compromise, median and expected utility models under each a-priori
  capability rule, scored against the compromise model under the rule ``equal`` (paired
  bootstrap over proposals);
- ``cross-validation``: every fitted family's cross-validated error over five dealings of
  the proposals, and its parameters fitted on the whole file, read from the parameters that
  ship (src/statecraft/data/deu-fitted.json, written by scripts/fit_deu.py);
- ``errors`` (in docs/calibration.md): every model's shipped error record, its quantiles and
  its out-of-fold calibration, read from src/statecraft/data/model-errors.json (written by
  scripts/fit_errors.py).

``python docs/backtest_tables.py [PATH] [--write]`` prints them, or writes them into the
pages between their markers. Tests check that the pages hold what this script makes.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from statecraft.analysis.backtest import backtest, forecast_table
from statecraft.analysis.calibration import error_record, interval
from statecraft.analysis.fitted import FAMILIES, load_fitted
from statecraft.io.deu import read_deu
from statecraft.models import available_models

PAGE = Path(__file__).resolve().parent / "backtest.md"
CALIBRATION_PAGE = Path(__file__).resolve().parent / "calibration.md"
DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "deu3" / "deu3-dev.tsv"
RULES = ("council", "bicameral")
MODELS = ("compromise", "median", "expected-utility")


def capability_table(path: Path) -> str:
    equal = read_deu(path)
    extra = {}
    for rule in RULES:
        table = read_deu(path, capability=rule)
        assert [i.issue for i in table.issues] == [i.issue for i in equal.issues]
        forecasts = forecast_table(table, MODELS)
        extra |= {f"{m} [{rule}]": forecasts[m] for m in MODELS}
    result = backtest(equal, list(MODELS), extra=extra)
    lines = [
        "| model [capability rule] | MAE | 95% interval | vs compromise [equal] | 95% interval |",
        "|---|---|---|---|---|",
    ]
    for s in result.scores:
        name = s.model if "[" in s.model else f"{s.model} [equal]"
        diff, ci = "–", "–"
        if s.vs_compromise is not None and s.vs_compromise_ci is not None:
            diff = f"{s.vs_compromise:+.1f}"
            ci = f"{s.vs_compromise_ci[0]:+.1f} to {s.vs_compromise_ci[1]:+.1f}"
        lines.append(
            f"| {name} | {s.mae:.1f} | {s.mae_ci[0]:.1f} to {s.mae_ci[1]:.1f} | {diff} | {ci} |"
        )
    return "\n".join(lines) + "\n"


def _parameters(family: str, params: dict[str, object]) -> str:
    if family == "combination":
        weights = params["weights"]
        assert isinstance(weights, dict)
        return ", ".join(f"{k} {v:.2f}" for k, v in weights.items() if v > 0)
    return ", ".join(f"{k} {v}" for k, v in params.items())


def cv_table() -> str:
    shipped = load_fitted()
    cv = shipped["cross_validation"]
    lines = [
        f"| family | CV MAE (seed {cv['seed']}) | over {cv['repeats']} dealings | "
        "vs compromise | fitted on the whole file (in-sample) |",
        "|---|---|---|---|---|",
    ]
    for family in FAMILIES:
        runs = cv["mae_by_repeat"][family]
        params = _parameters(family, shipped["families"][family]["parameters"])
        lines.append(
            f"| {family} | {runs[0]:.2f} | {min(runs):.2f} to {max(runs):.2f} | "
            f"{runs[0] - cv['compromise_mae']:+.2f} | {params} |"
        )
    return "\n".join(lines) + "\n"


def errors_table() -> str:
    """Each model's residual shares (quantiles, in % of the width), the 80% interval of a
    point forecast in the middle of a 0-100 scale, and the out-of-fold calibration."""
    lines = [
        "| model | issues (proposals) | residual share: 10% | median | 90% "
        "| 80% interval of a forecast of 50 on 0-100 | out of fold: in 80% | in 95% "
        "| CRPS (% of width) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for name in available_models():
        record = error_record(name)
        assert record is not None
        cv = record.cross_validated
        q = [100 * record.quantile(p) for p in (0.1, 0.5, 0.9)]
        low, high = interval(50, 0, 100, 0.8, name) or (float("nan"),) * 2
        lines.append(
            f"| {name} | {record.issues} ({record.proposals}) | {q[0]:+.1f}% | {q[1]:+.1f}% | "
            f"{q[2]:+.1f}% | {low:.1f} to {high:.1f} | {100 * cv['coverage80']:.1f}% | "
            f"{100 * cv['coverage95']:.1f}% | {100 * cv['crps_share']:.1f} |"
        )
    return "\n".join(lines) + "\n"


def tables(path: Path) -> dict[str, str]:
    return {"capability": capability_table(path), "cross-validation": cv_table()}


def calibration_tables() -> dict[str, str]:
    """The tables of docs/calibration.md: from the shipped record alone, no data needed."""
    return {"errors": errors_table()}


def _write(page_path: Path, made: dict[str, str]) -> None:
    page = page_path.read_text()
    for name, text in made.items():
        start, end = f"<!-- {name} -->\n", f"<!-- /{name} -->"
        head, rest = page.split(start)
        page = head + start + text + end + rest.split(end, 1)[1]
    page_path.write_text(page)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    made, calibration = tables(args.path), calibration_tables()
    if not args.write:
        for name, text in {**made, **calibration}.items():
            print(f"<!-- {name} -->\n{text}<!-- /{name} -->\n")
        return
    _write(PAGE, made)
    _write(CALIBRATION_PAGE, calibration)


if __name__ == "__main__":
    main()
