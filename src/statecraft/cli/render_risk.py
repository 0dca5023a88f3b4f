"""The tables of a risk analysis (``statecraft risk``, docs/risk.md)."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text

from statecraft.cli.render import fmt
from statecraft.cli.util import new_console

#: Dyads shown: those whose median risk is above 0, at most this many.
TOP_DYADS = 15


def _band(band: Any, *, sign: bool = False) -> tuple[str, str]:
    lo, hi = band.interval80
    return fmt(band.median, 3, sign=sign), f"{fmt(lo, 3, sign=sign)} to {fmt(hi, 3, sign=sign)}"


#: What each choice of --settlement defends, as the table's first line says it.
DEFENDING = {
    "status_quo": "each issue's status quo as coded (--settlement actual: the terms settled)",
    "actual": "each issue's actual outcome, the terms settled (--settlement status_quo: the "
    "status quo as coded)",
}


def print_risk(result: Any, title: str, defending: str = "status_quo") -> None:
    """The dyads' risk (riskiest first), the pressure on each issue, the guarantors; first,
    what the settlement is (``defending``, the --settlement choice)."""
    console = new_console()
    console.print(Text(f"Defending: {DEFENDING.get(defending, defending)}.", style="bold"))
    if result.block_note:
        console.print(Text(result.block_note, style="yellow"))
    name = result.name
    shift = result.previous is not None
    table = Table(
        title=f"{title}: will the settlement hold? {result.draws:,} draws (seed {result.seed})"
        + (f", shift of power since {result.previous}" if shift else ""),
        title_justify="left",
    )
    table.add_column("Dyad", overflow="fold", min_width=12)
    table.add_column("Risk (median)", justify="right", no_wrap=True)
    table.add_column("80% interval", justify="right", no_wrap=True)
    if shift:
        table.add_column("From the shift", justify="right", no_wrap=True)
    shown = [d for d in result.dyads if d.risk.median > 0 or d.risk.interval80[1] > 0]
    for d in shown[:TOP_DYADS]:
        cells = [f"{name(d.a)} – {name(d.b)}", *_band(d.risk)]
        if shift:
            cells.append(fmt(d.shift.median if d.shift else None, 3))
        table.add_row(*cells)
    if not shown:
        table.add_row("no dyad at risk", "0.000", "0.000 to 0.000", *([""] if shift else []))
    hidden = len(result.dyads) - min(len(shown), TOP_DYADS)
    table.caption = (
        "Risk index in [0, 1], the median over the draws: the chance, on some issue, that one "
        "side challenges the settlement and the other resists (docs/risk.md). 0: no challenge "
        "that would prevail meets resistance; 1: the limit of a side that wants only the far "
        "end of a scale and meets no capable defender. An index to rank dyads and moments, not "
        "a probability of war."
        + (f" {hidden} dyads with less risk not shown." if hidden > 0 else "")
    )
    console.print(table)
    issues = Table(title="Pressure on each issue of the settlement", title_justify="left")
    issues.add_column("Issue", overflow="fold")
    issues.add_column("Pressure", justify="right", no_wrap=True)
    issues.add_column("80% interval", justify="right", no_wrap=True)
    issues.add_column("Most from")
    for i in result.issues:
        issues.add_row(i.issue, *_band(i.pressure), name(i.leader) if i.leader else "nobody")
    issues.caption = (
        "Pressure: the largest expected gain of any actor from overturning the issue's "
        "settlement, given who would resist and who would join (0 to 1)."
    )
    console.print(issues)
    a, b = result.focus
    guarantors = Table(
        title=f"What the {name(a)} – {name(b)} settlement rests on: the rise in its risk "
        "if each actor withdrew",
        title_justify="left",
    )
    guarantors.add_column("Actor")
    guarantors.add_column("Rise in risk", justify="right", no_wrap=True)
    guarantors.add_column("80% interval", justify="right", no_wrap=True)
    for g in result.guarantors:
        guarantors.add_row(name(g.actor), *_band(g.effect, sign=True))
    guarantors.caption = "A negative rise: the actor adds to the risk rather than holding it."
    console.print(guarantors)
    rests = result.rests_on
    if rests:
        console.print(
            Text(
                f"The settlement rests on {', '.join(name(g.actor) for g in rests)}.",
                style="bold",
            )
        )
