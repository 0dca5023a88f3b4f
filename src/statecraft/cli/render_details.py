"""The tables of the models' details, chosen by the class of the details, never by a model's
name: :data:`DETAIL_TABLES` maps a class of details to the function that draws its table.

A linked model's details are ``forecast.linked[name]``; a one-issue model's are per issue,
``forecast.details(name)`` (issue id -> details), and its table takes them all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from statecraft import Forecast, Scenario
from statecraft.api import EUResult, ExchangeDetails, SpatialDetails
from statecraft.cli.render import decimals, fmt

DetailTable = Callable[[Forecast, str, Any], Table]
"""A table of one model's details: (the forecast, the model's name, its details)."""


def confrontation_table(result: Forecast, model: str, details: Mapping[str, EUResult]) -> Table:
    """The expected utility model's dyads headed for confrontation, issue by issue."""
    s = result.scenario
    index = result.escalation_index(model)
    table = Table(
        title="Expected utility model: dyads headed for confrontation when bargaining stops",
        title_justify="left",
    )
    table.add_column("Issue", no_wrap=True)
    table.add_column("Rounds", justify="right")
    table.add_column("Share of dyads", justify="right")
    table.add_column("Confrontations")
    for issue, detail in details.items():
        pairs = detail.confrontations()
        names = [f"{s.actor(a).display_name} – {s.actor(b).display_name}" for a, b in pairs]
        table.add_row(
            issue,
            f"{detail.rounds}" + ("" if detail.settled else ", still moving"),
            f"{detail.conflict_share():.0%}",
            "; ".join(names) if names else "none: the model sees this outcome as stable",
        )
    if index is None:
        caption = "No escalation index: no issue has two actors, so there is no dyad to count."
    else:
        caption = (
            f"Escalation index {index:.2f}: the share of dyads headed for confrontation, "
            "averaged over the issues with two actors or more (0 = none, 1 = every pair on "
            "every issue)."
        )
    if not all(d.settled for d in details.values()):
        caption += (
            " 'Still moving': actors moved in the last round, so the forecast depends on when "
            "bargaining stops (see `statecraft rounds`; try -o rounds=N)."
        )
    table.caption = caption
    return table


def spatial_table(result: Forecast, model: str, details: SpatialDetails) -> Table:
    """The spatial model's final position of every actor on each issue, and the probability
    that its position prevails."""
    s = result.scenario
    r = details.result
    table = Table(
        title=f"Spatial model (KTAB): final positions after {r.turns} turns, and the "
        "probability that each actor's position prevails",
        title_justify="left",
    )
    table.add_column("Actor")
    for issue_id in details.issues:
        table.add_column(s.issue(issue_id).label, justify="right")
    table.add_column("P(prevails)", justify="right")
    for row in details.actors():
        table.add_row(
            s.actor(row["actor"]).display_name,
            *(fmt(row["final"][i], decimals(s.issue(i).scale.width)) for i in details.issues),
            f"{row['probability']:.3f}",
        )
    caption = "Actors at one position share its probability, so the column can sum above 1."
    if details.saliences_scaled:
        caption += (
            " Saliences were divided by the number of issues: KTAB reads each actor's "
            "saliences as shares of its attention, at most 1 in all."
        )
    table.caption = caption
    return table


def exchange_table(result: Forecast, model: str, details: ExchangeDetails) -> Table:
    """The exchange model's trades of the first round: who gives way on what, to whom."""
    s = result.scenario
    rounds = details.rounds
    table = Table(
        title=f"Exchange model: the trades of round 1 of {len(rounds)}, largest gain first",
        title_justify="left",
    )
    for name in ("Actor", "gives way on", "by", "Partner", "gives way on", "by", "gain each"):
        table.add_column(name, justify="right" if name in ("by", "gain each") else "left")
    for t in details.trades(0):
        table.add_row(
            s.actor(t["actor"]).display_name,
            s.issue(t["gives_way_on"]).label,
            fmt(t["by"], 1, sign=True),
            s.actor(t["partner"]).display_name,
            s.issue(t["partner_gives_way_on"]).label,
            fmt(t["partner_by"], 1, sign=True),
            fmt(min(t["gain"], t["partner_gain"]), 3),
        )
    if not details.trades(0):
        table.caption = "No two actors gain by trading: no exchange."
    return table


# The class of a model's details -> its table; the tables are printed in this order.
DETAIL_TABLES: dict[type[Any], DetailTable] = {
    EUResult: confrontation_table,
    SpatialDetails: spatial_table,
    ExchangeDetails: exchange_table,
}


def _kind(details: Any) -> type[Any] | None:
    """The class of ``details`` (or the nearest base class) that has a table, if any."""
    return next((c for c in type(details).__mro__ if c in DETAIL_TABLES), None)


def detail_tables(result: Forecast) -> list[Table]:
    """A table of the details of every model run that left details with a table, in the
    order of :data:`DETAIL_TABLES`."""
    order = list(DETAIL_TABLES)
    found: list[tuple[int, Table]] = []
    for m in result.models:
        if m.name in result.linked:
            details: Any = result.linked[m.name]
            kind = _kind(details)
        else:
            details = result.details(m.name)
            kind = _kind(next(iter(details.values()))) if details else None
        if kind is not None:
            found.append((order.index(kind), DETAIL_TABLES[kind](result, m.name, details)))
    return [table for _, table in sorted(found, key=lambda x: x[0])]


def rounds_table(s: Scenario, issue_id: str, detail: EUResult) -> Table:
    """Every actor's position on one issue, round by round (expected utility model)."""
    issue = s.issue(issue_id)
    d = decimals(issue.scale.width)
    shown = list(range(detail.rounds + 1))
    if len(shown) > 13:
        shown = shown[:6] + shown[-7:]
    table = Table(
        title=f"{issue.label} ({issue_id}): expected utility model, {detail.rounds} rounds",
        title_justify="left",
        show_footer=True,
    )
    table.add_column("Actor", footer="median\nmean", no_wrap=True)
    for t in shown:
        table.add_column(
            f"r{t}",
            justify="right",
            footer=f"{fmt(detail.median[t], d)}\n{fmt(detail.mean[t], d)}",
        )
    for k, actor_id in enumerate(detail.actor_ids):
        table.add_row(
            s.actor(actor_id).display_name,
            *(fmt(detail.positions[t, k], d) for t in shown),
        )
    table.caption = (
        "r0: the scenario's positions; rK: the positions after round K, with their median "
        "and mean at the foot. The forecast is the last median."
    )
    return table


def print_rounds(console: Console, s: Scenario, details: Mapping[str, EUResult]) -> None:
    """Each issue's rounds table, then every move made, round by round."""
    for issue_id, detail in details.items():
        console.print(rounds_table(s, issue_id, detail))
        for t, moves in enumerate(detail.to_dict()["rounds"]):
            for move in moves["moves"]:
                who = s.actor(move["actor"]).display_name
                toward = s.actor(move["toward"]).display_name
                to = moves["positions"][move["actor"]]
                console.print(
                    Text(
                        f"  round {t}: {who} moves to {to:.4g} ({move['kind']} with {toward})",
                        style="dim",
                    )
                )
        console.print()
