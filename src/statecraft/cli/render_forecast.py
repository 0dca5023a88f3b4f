"""The tables of a forecast: each model's forecast of every issue, who wins, an actor's gains,
and the tables of the models' details (see :mod:`statecraft.cli.render_details`)."""

from __future__ import annotations

from shlex import quote

from rich.console import Console
from rich.table import Table
from rich.text import Text

from statecraft import Forecast
from statecraft.api import weight_shares
from statecraft.cli.render import DASH, dashes, decimals, fmt, print_records_csv
from statecraft.cli.render_details import detail_tables
from statecraft.cli.util import new_console


def forecast_table(result: Forecast) -> Table:
    """Each model's forecast of every issue, beside the status quo and the actual outcome."""
    s = result.scenario
    names = result.model_names
    known = any(item.actual is not None for item in result.issues)
    table = Table(title=s.title or s.name, title_justify="left", show_footer=known)
    why: list[str] = []
    # Narrow terminals: the issue ids fold, the headers break at their spaces and a model's
    # name at its hyphens, and no column shrinks below what its numbers need.
    table.add_column("Issue", footer="mean error", overflow="fold", min_width=8)
    table.add_column("Status quo", justify="right", min_width=6)
    for n in names:
        errors = [
            e / s.issue(item.issue).scale.width * 100
            for item in result.issues
            if (e := item.error(n)) is not None
        ]
        footer = f"{sum(errors) / len(errors):.1f}%" if errors else DASH
        if known and not errors:
            why.append(f"mean error of {n}: it forecast no issue whose outcome is known")
        table.add_column(n.replace("-", "-\n"), justify="right", no_wrap=True, footer=footer)
    table.add_column("Actual", justify="right", min_width=6)
    for item in result.issues:
        d = decimals(s.issue(item.issue).scale.width)
        cells: list[str | Text] = [item.issue, fmt(item.status_quo, d)]
        if item.status_quo is None:
            why.append("no status quo: the issue has none")
        for n in names:
            cell = Text(fmt(item.forecasts[n], d), style="bold")
            if item.forecasts[n] is None:
                why.append("the model does not apply to the issue (the reason is said below)")
            error = item.error(n)
            if error is not None:
                cell.append(f"\nerr {fmt(error, d)}", style="dim")
            cells.append(cell)
        cells.append(fmt(item.actual, d))
        if item.actual is None:
            why.append("actual: the real outcome is not known")
        table.add_row(*cells)
    caption = "err = |forecast - actual|; the mean error is in % of each issue's scale width."
    table.caption = dashes(caption if known else None, why)
    return table


def winners_table(result: Forecast) -> Table:
    """The actors ranked by their gain under the primary model (and the actual outcome)."""
    w = result.winners
    actual = result.actual_winners
    actual_gain = {g.actor: g.gain for g in actual.ranking} if actual else {}
    table = Table(
        title=f"Who wins: gain from the status quo (forecast: {result.primary})",
        title_justify="left",
    )
    why: list[str] = []
    table.add_column("#", justify="right")
    table.add_column("Actor")
    with_roles = any(a.roles for a in result.scenario.actors)
    if with_roles:
        table.add_column("Roles", style="dim")
    table.add_column(f"Gain ({result.primary})", justify="right", style="bold")
    if actual:
        table.add_column("Gain (actual)", justify="right")
    for k, g in enumerate(w.ranking, start=1):
        cells = [str(k), g.name]
        if with_roles:
            cells.append(", ".join(result.scenario.actor(g.actor).roles))
        cells.append(fmt(g.gain, 3, sign=True))
        if actual:
            a = actual_gain.get(g.actor)
            cells.append(fmt(a, 3, sign=True))
            if a is None:
                why.append(
                    "gain (actual): the actor has no stance on an issue whose actual outcome "
                    "and status quo are known"
                )
        table.add_row(*cells)
    table.caption = dashes(
        "gain = salience-weighted mean over issues of (|status quo - position| - "
        "|outcome - position|) / scale width; from -1 to +1.",
        why,
    )
    return table


def actor_table(result: Forecast, actor_id: str) -> Table:
    """One actor's gain issue by issue under every model (and the actual outcome)."""
    s = result.scenario
    a = s.actor(actor_id)
    outcomes = [(n, w) for n, w in result.winners_by_model.items()]
    if result.actual_winners is not None:
        outcomes.append(("actual", result.actual_winners))
    table = Table(title=f"{a.display_name}: gain issue by issue", title_justify="left")
    table.add_column("Issue", no_wrap=True)
    table.add_column("Position", justify="right")
    table.add_column("Salience", justify="right")
    for name, _ in outcomes:
        table.add_column(f"gain ({name})", justify="right")
    by_actor = {name: {g.actor: g for g in w.ranking} for name, w in outcomes}
    why: list[str] = []
    for issue in s.issues:
        stance = a.stances.get(issue.id)
        if stance is None:
            continue
        cells = [issue.id, f"{stance.position.value:g}", f"{stance.salience.value:g}"]
        for name, _ in outcomes:
            g = by_actor[name].get(actor_id)
            v = None if g is None else g.by_issue.get(issue.id)
            cells.append(fmt(v, 3, sign=True))
            if v is None:
                why.append(
                    f"no gain under {name}: the issue has no status quo, or no forecast or outcome"
                )
        table.add_row(*cells)
    table.caption = dashes(
        "gain on an issue = (|status quo - position| - |outcome - position|) / width", why
    )
    return table


def weights_table(result: Forecast) -> Table:
    """Who carries each forecast: every actor's share of capability x salience per issue
    (:func:`statecraft.runner.weight_shares`), in percent."""
    s = result.scenario
    shares = weight_shares(s)
    table = Table(
        title="Who carries each forecast: share of capability x salience", title_justify="left"
    )
    table.add_column("Actor")
    for issue in s.issues:
        table.add_column(issue.id, justify="right", overflow="fold")
    sits_out = False
    for actor in s.actors:
        cells = []
        for issue in s.issues:
            share = shares[issue.id].get(actor.id)
            sits_out = sits_out or share is None
            cells.append(DASH if share is None else f"{100 * share:.1f}%")
        table.add_row(actor.display_name, *cells)
    table.caption = dashes(
        "The weight of the weighted mean and median and of the bargaining models; the spatial "
        "and exchange models weigh by their own rules (docs/models).",
        ["the actor takes no position on the issue"] if sits_out else [],
    )
    return table


def print_forecast(
    result: Forecast, console: Console | None = None, *, ref: str | None = None
) -> None:
    """Print a forecast as the ``statecraft forecast`` tables, on ``console``.

    Give a console made with ``markup=False``: the tables hold the scenario's own text.
    """
    console = console or new_console()
    s = result.scenario
    console.print(forecast_table(result))
    # Only the scales that say what their ends mean: a bare "0; 100" tells the reader nothing.
    meant = [i for i in s.issues if i.scale.low_meaning or i.scale.high_meaning]
    if meant:
        console.print(Text("Issues and their scales:", style="bold"))
    for issue in meant:
        sc = issue.scale
        low = f"{sc.low:g} = {sc.low_meaning}" if sc.low_meaning else f"{sc.low:g}"
        high = f"{sc.high:g} = {sc.high_meaning}" if sc.high_meaning else f"{sc.high:g}"
        unit = f" ({sc.unit})" if sc.unit else ""
        console.print(Text(f"  {issue.id}: {issue.label}{unit}. {low}; {high}.", style="dim"))
    skipped = {
        (item.label, name, why)
        for item in result.issues
        for name, why in item.not_applicable.items()
    }
    for label, name, why in sorted(skipped):
        console.print(Text(f"  {name} does not apply to {label}: {why}", style="dim"))
    console.print()
    console.print(Text(f"Forecast ({result.primary}): {result.winners.headline}", style="bold"))
    if result.actual_winners is not None:
        console.print(Text(f"Actual outcome: {result.actual_winners.headline}", style="bold"))
    if ref is not None and result.winners.ranking:
        console.print(
            Text(
                f"At the coded values, under {result.primary}. How sure that is, over the "
                f"numbers' ranges and the models: statecraft brief {quote(ref)}",
                style="dim",
            )
        )
    if result.winners.ranking:
        console.print(winners_table(result))
    if result.winners.skipped:
        console.print(
            Text(
                "Left out of the gains (no status quo or no forecast): "
                + ", ".join(result.winners.skipped),
                style="dim",
            )
        )
    for table in detail_tables(result):
        console.print()
        console.print(table)


def print_forecast_csv(result: Forecast) -> None:
    """A forecast's records (one per issue and model) as CSV on standard output."""
    print_records_csv(result.to_records())
