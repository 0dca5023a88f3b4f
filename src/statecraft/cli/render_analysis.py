"""The tables of the analyses of a scenario: a simulation, counterfactuals, sensitivity."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from statecraft import Scenario
from statecraft.cli.render import DASH, dashes, decimals, fmt, sparkline, uncertain_numbers
from statecraft.cli.util import new_console


def print_simulation(result: Any) -> None:
    """A simulation's forecasts with their spread, the chances of being the biggest winner,
    and how often each dyad ends headed for confrontation."""
    s = result.scenario
    console = new_console()
    if not any(item.kind != "actual" for item in result.inputs):
        console.print(
            Text(
                "The scenario has no uncertain numbers, so every draw is the same: give numbers "
                "a range ({value, low, high}) or use --perturb.",
                style="yellow",
            )
        )
    if result.block_note:
        console.print(Text(result.block_note, style="yellow"))
    model = result.models[0]
    actual = sum(item.kind == "actual" for item in result.inputs)
    table = Table(
        title=f"{s.title or s.name}: {model}, {result.draws:,} draws (seed {result.seed}), "
        f"{uncertain_numbers(len(result.inputs) - actual, actual)}",
        title_justify="left",
    )
    # Narrow terminals: the numbers never wrap; the issue ids and the headers give way, and
    # the histogram is drawn narrower (below 100 columns its right end may be cut).
    table.add_column("Issue", overflow="fold", min_width=8)
    table.add_column("Status quo", justify="right", min_width=6)
    for name in ("Mean", "Median", "80% interval", "95% interval"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("Actual", justify="right", min_width=6)
    # The histogram only where it fits beside the numbers (24 bins need about 120 columns,
    # 14 about 110): in fewer columns rich would take the room from the issue ids instead.
    histogram = console.width >= 110
    if histogram:
        table.add_column("Distribution across the scale", no_wrap=True, overflow="crop")
    bins = max(8, min(24, console.width - 96))
    why: list[str] = []
    for summary in result.issues:
        issue = s.issue(summary.issue)
        d = decimals(issue.scale.width)
        lo80, hi80 = summary.interval80
        lo95, hi95 = summary.interval95
        cells = [
            issue.id,
            fmt(None if issue.status_quo is None else issue.status_quo.value, d),
            fmt(summary.mean, d),
            fmt(summary.median, d),
            f"{fmt(lo80, d)} to {fmt(hi80, d)}",
            f"{fmt(lo95, d)} to {fmt(hi95, d)}",
            fmt(None if issue.actual is None else issue.actual.value, d),
        ]
        if histogram:
            cells.append(
                f"{issue.scale.low:g} {sparkline(summary.histogram, bins)} {issue.scale.high:g}"
            )
        table.add_row(*cells)
        if issue.status_quo is None:
            why.append("status quo: the issue has none")
        if issue.actual is None:
            why.append("actual: the real outcome is not known")
        if summary.draws == 0:
            why.append("mean, median, intervals: the model gave a forecast in no draw")
    table.caption = dashes(
        "Intervals and the median are read from a histogram of 2,000 bins across each scale.",
        why,
    )
    console.print(table)
    for name, probabilities in result.biggest_winner.items():
        ranked = sorted(probabilities.items(), key=lambda kv: -kv[1])
        wins = Table(
            title=f"Probability of being the biggest winner ({name})",
            title_justify="left",
            width=60,
        )
        wins.add_column("Actor")
        wins.add_column("Probability", justify="right")
        for actor_id, p in ranked:
            if p > 0:
                wins.add_row(s.actor(actor_id).display_name, f"{p:.1%}")
        console.print(wins)
    if result.confrontation:
        conf = Table(
            title="How often each dyad ends headed for confrontation (expected utility)",
            title_justify="left",
        )
        conf.add_column("Issue", no_wrap=True)
        conf.add_column("Dyads (share of draws, 5% or more)")
        for (issue_id, _), pairs in result.confrontation.items():
            ranked_pairs = sorted(pairs.items(), key=lambda kv: -kv[1])
            text = "; ".join(
                f"{s.actor(a).display_name} – {s.actor(b).display_name} {share:.0%}"
                for (a, b), share in ranked_pairs
                if share >= 0.05
            )
            conf.add_row(issue_id, text or "none")
        console.print(conf)


def print_comparison(result: Any, model: str) -> None:
    """The forecasts of the scenario and of each patch of it, side by side, and who wins."""
    console = new_console()
    s = result.base.scenario
    runs = [("base", result.base), *((p.name, f) for p, f in result.patched)]
    sims = {label: sim for (label, _), sim in zip(runs, result.simulations, strict=False)}
    if result.block_note:
        console.print(Text(result.block_note, style="yellow"))
    table = Table(title=f"{s.title or s.name}: counterfactuals ({model})", title_justify="left")
    table.add_column("Issue", no_wrap=True)
    for label, _ in runs:
        table.add_column(label, justify="right")
    table.add_column("Actual", justify="right")
    why: list[str] = []
    for item in result.base.issues:
        d = decimals(s.issue(item.issue).scale.width)
        base = item.forecasts.get(model)
        cells: list[str | Text] = [item.issue]
        for label, f in runs:
            value = f.value(item.issue, model)
            cell = Text(fmt(value, d), style="bold")
            if value is None:
                why.append(f"{model} does not apply to the issue (in that run)")
            if label != "base" and value is not None and base is not None:
                cell.append(f" ({fmt(value - base, d, sign=True)})", style="dim")
            summary = (
                next(
                    (x for x in sims[label].issues if x.issue == item.issue and x.model == model),
                    None,
                )
                if label in sims
                else None
            )
            if summary is not None:
                lo, hi = summary.interval80
                cell.append(f"\n80%: {fmt(lo, d)} to {fmt(hi, d)}", style="dim")
            cells.append(cell)
        cells.append(fmt(item.actual, d))
        if item.actual is None:
            why.append("actual: the real outcome is not known")
        table.add_row(*cells)
    table.caption = dashes("In brackets: the difference from the base forecast.", why)
    console.print(table)
    gains = Table(title="Who wins under each: gain from the status quo", title_justify="left")
    gains.add_column("Actor")
    for label, _ in runs:
        gains.add_column(label, justify="right")
    by_run = [{g.actor: g.gain for g in f.winners.ranking} for _, f in runs]
    gaps = False
    for actor in s.actors:
        if actor.id in by_run[0]:
            gains.add_row(actor.display_name, *(fmt(g.get(actor.id), 3, sign=True) for g in by_run))
            gaps = gaps or any(actor.id not in g for g in by_run)
    gains.caption = dashes(
        None,
        ["no gain in that run: no status quo or no forecast on the actor's issues"] if gaps else [],
    )
    console.print(gains)
    if result.odds:
        _print_odds(console, result)
    for label, f in runs:
        console.print(Text(f"{label}: {f.winners.headline}", style="bold"))
    for p, _ in result.patched:
        console.print(Text(f"{p.name} assumes: {p.assumes}", style="dim"))
        for note in p.notes:
            console.print(Text(f"{p.name}, stacked: {note}", style="yellow"))


def _print_odds(console: Any, result: Any) -> None:
    """Each actor's P(biggest winner) in each run, over the draws and the models."""
    draws = result.simulations[0].draws if result.simulations else 0
    table = Table(
        title=f"P(biggest winner) under each, over {draws:,} draws and the models",
        title_justify="left",
    )
    table.add_column("Actor")
    for label in result.labels:
        table.add_column(label, justify="right")
    by_run = [{v.actor: v.overall.p_biggest for v in vs} for vs in result.odds]
    s = result.base.scenario
    for actor in s.actors:
        if any(actor.id in r for r in by_run):
            table.add_row(actor.display_name, *(_percent(r.get(actor.id)) for r in by_run))
    table.caption = dashes(
        "The brief's ensemble (docs/brief.md), weights: "
        + ", ".join(f"{m} {w:.2f}" for m, w in result.odds_weights.items())
        + ".",
        ["not in that run"] if any(len(r) < len(s.actors) for r in by_run) else [],
    )
    console.print(table)


def _percent(p: float | None) -> str:
    if p is None:
        return DASH
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1:
        return ">99%"
    return f"{p:.0%}"


def print_sensitivity(
    s: Scenario,
    oat: Any,
    sob: Any,
    model: str,
    issue: list[str] | None,
    top: int,
    zeros: bool = False,
) -> None:
    """For each issue, the inputs that move its forecast most: one at a time (a tornado,
    without the inputs that move nothing unless ``zeros``) and by their Sobol indices,
    whichever were computed."""
    first = oat or sob
    console = new_console()
    issues = [i for i in s.issues if (not issue or i.id in issue) and i.id in first.base]
    for item in issues:
        d = decimals(item.scale.width)
        if oat:
            swings = oat.tornado(item.id, keep_zero=zeros)[:top]
            still = len(oat.tornado(item.id, keep_zero=True)) - len(oat.tornado(item.id))
            biggest = max((w.swing for w in swings), default=0.0) or 1.0
            table = Table(
                title=f"{item.label} ({item.id}): one at a time, {model}; "
                f"base forecast {fmt(oat.base[item.id], d)}",
                title_justify="left",
            )
            table.add_column("Input", no_wrap=True)
            table.add_column("at low", justify="right")
            table.add_column("at high", justify="right")
            table.add_column("Swing", justify="right")
            table.add_column("", no_wrap=True)
            why: list[str] = []
            for w in swings:
                bar = "█" * max(1, round(w.swing / biggest * 30)) if w.swing > 0 else ""
                cells = [fmt(w.at_low, d), fmt(w.at_high, d), fmt(w.swing, d)]
                if "–" in cells:
                    why.append("the model gave no forecast with the input at that end")
                table.add_row(w.input, *cells, bar)
            table.caption = dashes(None, why)
            if still and not zeros:
                left_out = f"{still} input{'s' if still > 1 else ''} that move nothing left out"
                table.caption = "; ".join(filter(None, [table.caption, left_out + " (--zeros)"]))
            console.print(table)
        ranked = sob.ranked_sobol(item.id) if sob else []
        if sob and ranked and all(x.first_conf != x.first_conf for x in ranked):  # all NaN
            console.print(
                f"{item.label} ({item.id}): Sobol indices, {model}: the forecast is the same "
                "in every sample, so no input explains any of its variance."
            )
        elif sob:
            table = Table(
                title=f"{item.label} ({item.id}): Sobol indices, {model}, N = {sob.samples}",
                title_justify="left",
            )
            table.add_column("Input", no_wrap=True)
            table.add_column("First order (S1)", justify="right")
            table.add_column("Total (ST)", justify="right")
            for x in ranked[:top]:
                table.add_row(x.input, _index(x.first, x.first_conf), _index(x.total, x.total_conf))
            table.caption = "± a 95% confidence half-width (bootstrap, SALib)."
            console.print(table)


def _index(value: float, half_width: float) -> str:
    """A Sobol index with its 95% half-width; without one (the forecast never moved, so
    no input explains any of its variance) the index alone."""
    if half_width != half_width:  # NaN
        return f"{value:.3f} (the forecast never moves)"
    return f"{value:.3f} ± {half_width:.3f}"
