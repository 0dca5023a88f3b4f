"""The backtest's leaderboard: a table on the terminal, or CSV and Markdown files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.table import Table

from statecraft.api import fitted, textsafe


def _share(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def _crps(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def leaderboard_table(result: Any, path: str) -> Table:
    """Every model's and baseline's errors, with their intervals, best first: by the paired
    difference from the compromise model, the models scored on fewer issues below a line."""
    table = Table(
        title=f"Backtest on {path}: {len(result.table.issues)} issues of "
        f"{len(result.table.proposals)} proposals (capability: {result.table.capability})",
        title_justify="left",
    )
    columns = ("Model", "n", "MAE [95%]", "RMSE [95%]", "Median AE", "vs compromise [95%]")
    for name in (*columns, "CRPS", "in 80%", "in 95%"):
        table.add_column(name, justify="left" if name == "Model" else "right", no_wrap=True)
    undiffed = False
    board = result.leaderboard()
    for k, s in enumerate(board):
        diff = "–"
        undiffed = undiffed or s.vs_compromise is None or s.vs_compromise_ci is None
        if s.vs_compromise is not None and s.vs_compromise_ci is not None:
            low, high = s.vs_compromise_ci
            diff = f"{s.vs_compromise:+.1f} [{low:+.1f}, {high:+.1f}]"
        table.add_row(
            s.model,
            str(s.n),
            f"{s.mae:.1f} [{s.mae_ci[0]:.1f}, {s.mae_ci[1]:.1f}]",
            f"{s.rmse:.1f} [{s.rmse_ci[0]:.1f}, {s.rmse_ci[1]:.1f}]",
            f"{s.median_ae:.1f}",
            diff,
            _crps(s.crps),
            _share(s.coverage80),
            _share(s.coverage95),
            end_section=not s.apart and k + 1 < len(board) and board[k + 1].apart,
        )
    skipped = ", ".join(f"{reason}: {n}" for reason, n in result.table.skipped.items())
    table.caption = (
        "Errors on the 0-100 scale; intervals from "
        f"{result.replicates:,} bootstrap resamples of proposals. "
        "vs compromise: mean difference in absolute error on the issues both forecast "
        "(negative is better); rows are ranked by it. "
        "Below the line: models scored on fewer issues than the compromise model, ranked "
        "apart; their MAE is on other issues, so compare them by vs compromise. "
        f"CRPS (points; lower is better) and the shares of outcomes inside the 80% and 95% "
        f"intervals: each issue's forecast plus the model's errors on the other folds "
        f"({result.folds} folds of proposals, seed {result.seed}), out of sample. "
        + (f"Rows skipped or amended: {skipped}." if skipped else "")
    )
    if undiffed:
        table.caption += (
            " – = no difference: the compromise model itself, or no issue that both forecast."
        )
    if (
        result.table.capability == "fitted"
        and fitted.sha256(path) == fitted.load_fitted()["fitted_on"]["sha256"]
    ):
        table.caption += (
            " The capability rule 'fitted' was fitted on this very file: these figures are "
            "in-sample; quote cv:capability (--cv) instead."
        )
    shipped = result.fitted.get("shipped")
    if shipped and shipped["in_sample"]:
        table.caption += (
            " The fitted:* rows are in-sample: their parameters were fitted on this very file. "
            "Quote the cv:* rows (--cv) instead."
        )
    if "cv" in result.fitted:
        cv = result.fitted["cv"]
        table.caption += (
            f" cv:* rows: out-of-fold forecasts, {cv['folds']} folds of proposals dealt from "
            f"seed {cv['seed']}."
        )
    return table


def write_backtest(result: Any, folder: str) -> None:
    """Write the per-issue forecasts (forecasts.csv) and the leaderboard (leaderboard.md)."""
    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    textsafe.csv_frame(result.to_frame()).to_csv(target / "forecasts.csv", index=False)
    lines = [
        "| model | n | MAE | 95% interval | RMSE | median AE | vs compromise | 95% interval "
        "| CRPS | in 80% | in 95% |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    apart = False
    for s in result.leaderboard():
        if s.apart and not apart:
            apart = True
            lines.append(
                "| *scored on fewer issues than compromise: compare by vs compromise* "
                "| | | | | | | | | | |"
            )
        diff = "–" if s.vs_compromise is None else f"{s.vs_compromise:+.1f}"
        dci = (
            "–"
            if s.vs_compromise_ci is None
            else (f"{s.vs_compromise_ci[0]:+.1f} to {s.vs_compromise_ci[1]:+.1f}")
        )
        lines.append(
            f"| {s.model} | {s.n} | {s.mae:.1f} | {s.mae_ci[0]:.1f} to {s.mae_ci[1]:.1f} | "
            f"{s.rmse:.1f} | {s.median_ae:.1f} | {diff} | {dci} | {_crps(s.crps)} | "
            f"{_share(s.coverage80)} | {_share(s.coverage95)} |"
        )
    (target / "leaderboard.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
