"""The tables of ``statecraft advise`` and ``statecraft sweep``."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from statecraft import Scenario
from statecraft.cli.render import DASH, decimals, fmt
from statecraft.cli.util import new_console

__all__ = ["print_advice", "print_flips", "print_sweep"]

_CAVEAT = (
    "A lever is a sensitivity of the model to its coded inputs, not a guarantee about the "
    "world (docs/advise.md)."
)


def _value(s: Scenario, issue: str | None, x: float | None, kind: str = "position") -> str:
    if x is None:
        return DASH
    d = decimals(s.issue(issue).scale.width) if issue and kind == "position" else 3
    return fmt(x, d)


def print_advice(s: Scenario, advice: Any, top: int) -> None:
    """The lever table, biggest effect first, and what flips the verdict."""
    console = new_console()
    names = _names(s)
    goal = (
        f"{names.get(advice.actor, advice.actor)}'s gain on {', '.join(advice.issues)}"
        if advice.goal == "gain"
        else "closeness to " + ", ".join(f"{i} = {v:g}" for i, v in advice.targets.items())
    )
    robust = (
        f"robustness over {advice.draws:,} draws of {len(advice.uncertain)} uncertain inputs"
        if advice.draws
        else "no robustness: no uncertain inputs drawn"
    )
    table = Table(
        title=f"{s.title or s.name}: levers for {goal} under {advice.model} "
        f"(now {advice.goal_value:+.3f}; {robust})",
        title_justify="left",
    )
    table.add_column("Lever", overflow="fold", min_width=16)
    table.add_column("Do", no_wrap=True)
    table.add_column("Value", justify="right")
    table.add_column("Plausible range", justify="right", no_wrap=True)
    table.add_column("Per unit", justify="right", no_wrap=True)
    table.add_column("Across range", justify="right", no_wrap=True)
    table.add_column("Robust", justify="right", no_wrap=True)
    for lever in advice.levers[:top]:
        if lever.kind == "leave":
            span = DASH
        else:
            lo, hi = (_value(s, lever.issue, x, lever.kind) for x in (lever.low, lever.high))
            span = f"{lo} to {hi}"
            if lever.range_from == "default":
                span += "*"
        table.add_row(
            lever.input,
            lever.direction,
            _value(s, lever.issue, lever.value, lever.kind),
            span,
            DASH if lever.effect_per_unit is None else f"{lever.effect_per_unit:+.4g}",
            f"{lever.effect_range:+.3f}",
            DASH if lever.robustness is None else f"{lever.robustness:.0%}",
        )
    exact = any(lever.method == "closed form" for lever in advice.levers)
    method = "closed forms" if exact else "central differences"
    table.caption = (
        f"Ranked by the effect on the goal across the input's plausible range (high end minus "
        f"low end; for an actor leaving, without it minus with it); per unit by {method}. "
        "Robust = the share of draws in which the lever moves the goal the same way. "
        "* = no range in the scenario: the scale, 0 to 1, or half to twice the value. "
        f"{DASH} = not a number. Interests stay at their coded values. " + _CAVEAT
    )
    console.print(table)
    for line in advice.notes:
        console.print(Text(line, style="dim"))
    if advice.flips is not None:
        print_flips(s, advice.flips)


def print_flips(s: Scenario, flips: Any, top: int = 5) -> None:
    """What would change the verdict: the cheapest single changes and the cheapest pair."""
    console = new_console()
    names = _names(s)
    table = Table(
        title=f"What would change this verdict ({flips.what}: "
        f"{names.get(flips.verdict, flips.verdict) if flips.verdict else 'nobody'}, "
        f"under {flips.model}; the scenario's verdict, not the advised actor's goal)",
        title_justify="left",
    )
    table.add_column("Change", overflow="fold")
    table.add_column("From", justify="right")
    table.add_column("To", justify="right")
    table.add_column("Cost (ranges)", justify="right")
    table.add_column("New verdict")
    rows = [*flips.single[:top], *([flips.pair] if flips.pair else [])]
    for f in rows:
        table.add_row(
            " + ".join(f.inputs),
            ", ".join(f"{v:.4g}" for v in f.values),
            ", ".join(f"{v:.4g}" for v in f.to),
            f"{f.cost:.3f}",
            names.get(f.verdict, f.verdict) if f.verdict else "no single winner",
        )
    if not rows:
        table.add_row("no change of one or two inputs within reach", DASH, DASH, DASH, DASH)
    table.caption = (
        f"{flips.searched} inputs moved one at a time up to 2 plausible ranges each way, and "
        "the most promising in pairs; cost in units of each input's plausible range. "
        + ("No pair beats the best single change." if flips.pair is None else "")
    )
    console.print(table)


def _names(s: Scenario) -> dict[str, str]:
    """Each actor's display name by id (the verdicts and winners carry ids)."""
    return {a.id: a.display_name for a in s.actors}


def _digits(values: Any, least: int = 4) -> int:
    """The fewest significant digits, ``least`` or more, that write distinct values
    distinctly (a sweep over a tiny range otherwise prints the same number on every row)."""
    shown = list(values)
    distinct = len(set(shown))
    fits = (g for g in range(least, 18) if len({f"{v:.{g}g}" for v in shown}) == distinct)
    return next(fits, 17)


def print_sweep(s: Scenario, result: Any) -> None:
    """A one-input sweep as a table (winner changes marked), a two-input one as a grid of
    winners."""
    console = new_console()
    if len(result.inputs) == 1:
        table = Table(
            title=f"{s.title or s.name}: sweep of {result.inputs[0]} under {result.model}",
            title_justify="left",
        )
        table.add_column(result.inputs[0], justify="right")
        for issue in result.issues:
            table.add_column(issue, justify="right")
        table.add_column("Biggest winner")
        changes = set(result.changes())
        names = _names(s)
        g = _digits(v[0] for v in result.values)
        blank = result.without_forecast()
        for k, (value, row, winner) in enumerate(
            zip(result.values, result.forecasts, result.winners, strict=True)
        ):
            mark = " <- changes" if k in changes else ""
            nobody = "no forecast" if blank[k] else "no single winner"
            table.add_row(
                f"{value[0]:.{g}g}",
                *(_value(s, i, x) for i, x in zip(result.issues, row, strict=True)),
                (names.get(winner, winner) if winner else nobody) + mark,
            )
        table.caption = "Interests stay at their coded values. " + _CAVEAT
        console.print(table)
        first, last = result.values[0][0], result.values[-1][0]
        if not changes:
            who = result.winners[0]
            console.print(
                f"The biggest winner stays {names.get(who, who) if who else 'nobody'} from "
                f"{first:.{g}g} to {last:.{g}g}: this input alone does not change the verdict."
            )
        else:
            at = [f"{result.values[k][0]:.{g}g}" for k in sorted(changes)]
            where = at[0] if len(at) == 1 else f"{', '.join(at[:-1])} and {at[-1]}"
            console.print(
                f"The biggest winner changes at {where} (the sweep runs from {first:.{g}g} to "
                f"{last:.{g}g})."
            )
        return
    a, b = result.axes
    grid = Table(
        title=f"{s.title or s.name}: biggest winner over {result.inputs[0]} (rows) x "
        f"{result.inputs[1]} (columns) under {result.model}",
        title_justify="left",
    )
    grid.add_column(f"{result.inputs[0]}", justify="right")
    ga, gb = _digits(a), _digits(b, least=3)
    for v in b:
        grid.add_column(f"{v:.{gb}g}", justify="center")
    names = _names(s)
    blank = result.without_forecast()
    for r, u in enumerate(a):
        cells = range(r * len(b), (r + 1) * len(b))
        grid.add_row(
            f"{u:.{ga}g}",
            *(
                names.get(w, w) if (w := result.winners[k]) else ("n/a" if blank[k] else DASH)
                for k in cells
            ),
        )
    grid.caption = f"{DASH} = no single winner; n/a = no forecast. " + _CAVEAT
    console.print(grid)
