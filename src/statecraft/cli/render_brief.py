"""The bottom line of ``statecraft brief`` on one screen: the winners with their
probabilities, each issue's forecast with its interval and the models' spread, the flags."""

from __future__ import annotations

from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from statecraft.cli.render import count, dashes, decimals, fmt, uncertain_numbers
from statecraft.cli.util import new_console


def _p(p: float) -> str:
    """A probability as a percentage; under 0.5% but above 0 as <1%."""
    if p <= 0:
        return "0%"
    return "<1%" if p < 0.005 else f"{p:.0%}"


def _interval(pair: tuple[float, float], d: int, sign: bool = False) -> str:
    return f"{fmt(pair[0], d, sign=sign)} to {fmt(pair[1], d, sign=sign)}"


def winners_table(result: Any) -> Table:
    """The actors, most often the biggest winner first: over the ensemble, and against the
    actual outcome where known (each model's own figures: :func:`models_table`)."""
    actual = {v.actor: v for v in result.actual_winners or ()}
    table = Table(
        title="Who wins: P(biggest winner) and the gain from the status quo, over the draws "
        "and the models",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("Actor", no_wrap=True, overflow="ellipsis", max_width=18)
    table.add_column("P(biggest)", justify="right", min_width=10)
    table.add_column("P(gain)", justify="right")
    table.add_column("Gain: median (80%)", justify="right", no_wrap=True)
    if actual:
        table.add_column("Actual", justify="right", min_width=6)
    for v in result.winners:
        row = [
            v.name,
            _p(v.p_biggest),
            _p(v.p_gain),
            f"{fmt(v.median, 2, sign=True)} ({_interval(v.interval80, 2, True)})",
        ]
        if actual:
            a = actual.get(v.actor)
            row.append(_p(a.p_biggest) if a is not None else "–")
        table.add_row(*row)
    weights = ", ".join(f"{m} {w:.2f}" for m, w in result.weights.items())
    table.caption = (
        ("Actual: P(biggest winner) against the actual outcome. " if actual else "")
        + f"Ensemble weights ({result.rule}): {weights}. Gains as defined in "
        "docs/winners.md (-1 to +1)."
    )
    return table


def models_table(result: Any) -> Table:
    """Each model's P(biggest winner) per actor: where the models agree and where they split."""
    models = list(result.models)
    table = Table(
        title="P(biggest winner) under each model", title_justify="left", box=box.SIMPLE_HEAD
    )
    table.add_column("Actor", no_wrap=True, overflow="ellipsis", max_width=16)
    for m in models:
        table.add_column(m, justify="right", overflow="fold", max_width=10)
    for v in result.winners:
        table.add_row(
            v.name, *[_p(v.by_model[m].p_biggest) if m in v.by_model else "–" for m in models]
        )
    return table


def issues_table(result: Any) -> Table:
    """Per issue: the ensemble's forecast and 80% interval, the models' medians, the actual."""
    s = result.scenario
    table = Table(
        title="Forecasts: the ensemble's median and 80% interval",
        title_justify="left",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("Issue", overflow="fold", min_width=8)
    table.add_column("Status quo", justify="right")
    table.add_column("Forecast", justify="right")
    table.add_column("80% interval", justify="right", no_wrap=True)
    table.add_column("Inputs alone", justify="right", no_wrap=True)
    table.add_column("Models' medians", justify="right", no_wrap=True)
    table.add_column("Spread", justify="right")
    table.add_column("Actual", justify="right")
    why = []
    for item in result.issues:
        d = decimals(s.issue(item.issue).scale.width)
        medians = item.medians
        table.add_row(
            item.issue,
            fmt(item.status_quo, d),
            fmt(item.forecast, d),
            _interval(item.interval80, d),
            _interval(item.inputs80, d),
            f"{fmt(medians[0], d)} to {fmt(medians[1], d)}" if medians else "–",
            fmt(item.spread, d),
            fmt(item.actual, d),
        )
        if item.status_quo is None:
            why.append("status quo: the issue has none")
        if item.actual is None:
            why.append("actual: the real outcome is not known")
        if not medians:
            why.append("forecast: no model gave one")
    calibrated = sorted({m for item in result.issues for m in item.calibrated})
    error = (
        f"80% interval: the uncertain inputs and the models' own errors out of sample on "
        f"real decisions (DEU; {', '.join(calibrated)}; docs/calibration.md). "
        if calibrated
        else "80% interval: the uncertain inputs alone (no model's own error). "
    )
    table.caption = dashes(
        error + "Inputs alone: without the models' errors. "
        "Spread: the largest model median minus the smallest.",
        why,
    )
    return table


def print_brief(result: Any) -> None:
    """The bottom line on standard output."""
    s = result.scenario
    console = new_console()
    actual = sum(1 for i in s.issues if i.actual is not None and i.actual.uncertain)
    console.print(
        Text(
            f"{s.title or s.name}: {result.draws:,} draws (seed {result.seed}), "
            f"{uncertain_numbers(result.inputs, actual)}, "
            f"{count(len(result.models), 'model')}",
            style="bold",
        )
    )
    if result.block_note:
        console.print(Text(result.block_note, style="yellow"))
    lead = result.leader
    if not result.winners:
        console.print(
            Text(
                "No winners or losers: no issue has both a status quo and a forecast, so no "
                "actor's gain can be measured (give the issues a status_quo)."
            )
        )
    elif lead is None or lead.p_biggest == 0:
        console.print(Text("No single biggest winner in any draw: nobody gains, or they tie."))
    if lead is not None and lead.p_biggest > 0:
        line = (
            f"Most often the biggest winner: {lead.name}, in {lead.p_biggest:.0%} of draws "
            "over the models"
        )
        if result.actual_winners:
            a = result.actual_winners[0]
            line += f"; against the actual outcome: {a.name} ({a.p_biggest:.0%})"
        console.print(Text(line + "."))
    if result.winners:
        console.print(winners_table(result))
        if len(result.models) > 1:
            console.print(models_table(result))
    console.print(issues_table(result))
    for flag in result.flags:
        console.print(Text(f"! {flag.kind}: {flag.message}", style="yellow"))
    for name, why in result.skipped.items():
        console.print(Text(f"not in the ensemble: {name} ({why})", style="dim"))
