"""The ``statecraft`` command line: a thin layer over the public API.

Every bad input ends with one message on standard error and exit status 2, never a
traceback.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from statecraft._cli_runs import NoStoreOpt, StoreOpt, recording, runs_app
from statecraft._cli_util import OutputFormat, _console, _emit, _fail, _progress_bar
from statecraft._version import __version__
from statecraft.errors import StatecraftError
from statecraft.io import builtin_names, load
from statecraft.models import available_models, options_for
from statecraft.runner import Forecast, forecast
from statecraft.scenario import Scenario

app = typer.Typer(
    name="statecraft",
    help="Forecast multi-actor negotiations and conflicts with the bargaining models of "
    "political science, and say who wins them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(runs_app, name="runs")

OptionList = Annotated[
    list[str] | None,
    typer.Option(
        "--option",
        "-o",
        help="A model option as NAME=VALUE (repeatable), e.g. -o rounds=10 -o probability=pair; "
        "see `statecraft models`.",
    ),
]


def _parse_value(text: str) -> object:
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text.strip()


def _parse_options(pairs: list[str] | None) -> dict[str, object]:
    options: dict[str, object] = {}
    for pair in pairs or ():
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise _fail(f"an option is NAME=VALUE, e.g. rounds=10 (got {pair!r})")
        options[name.strip().replace("-", "_")] = _parse_value(value)
    return options


ScenarioArg = Annotated[str, typer.Argument(help="A built-in scenario's name or a file path.")]
ModelOpt = Annotated[str, typer.Option("--model", "-m", help="The model to run.")]
SeedOpt = Annotated[int, typer.Option("--seed", "-s", help="The random seed (0 or more).", min=0)]
PerturbOpt = Annotated[
    float | None,
    typer.Option(help="Give every number without a range of its own a relative one, e.g. 0.1."),
]
TableOrJson = Annotated[OutputFormat, typer.Option("--format", "-f", help="table or json.")]
AnyFormat = Annotated[OutputFormat, typer.Option("--format", "-f", help="table, json or csv.")]


def _table_or_json(fmt: OutputFormat, command: str) -> None:
    if fmt is OutputFormat.csv:
        raise _fail(f"{command} prints a table or json")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"statecraft {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Statecraft: forecasts of negotiations and conflicts."""


def _check_ids(source: str, given: list[str] | None, known: tuple[str, ...], what: str) -> None:
    """Refuse an id given to --actor or --issue that the scenario does not have."""
    for item in given or ():
        if item not in known:
            raise _fail(
                f"{source}: unknown {what} id {item!r} given to --{what}; "
                f"the {what}s are: {', '.join(known)}"
            )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _decimals(width: float) -> int:
    return 1 if width >= 50 else 2 if width >= 10 else 3


def _fmt(value: float | None, decimals: int) -> str:
    return "–" if value is None else f"{value:.{decimals}f}"


def _forecast_table(result: Forecast) -> Table:
    s = result.scenario
    names = result.model_names
    known = any(item.actual is not None for item in result.issues)
    table = Table(title=s.title or s.name, title_justify="left", show_footer=known)
    table.add_column("Issue", footer="mean error", no_wrap=True)
    table.add_column("Status quo", justify="right")
    for n in names:
        errors = [
            e / s.issue(item.issue).scale.width * 100
            for item in result.issues
            if (e := item.error(n)) is not None
        ]
        footer = f"{sum(errors) / len(errors):.1f}%" if errors else "–"
        table.add_column(n, justify="right", no_wrap=True, footer=footer)
    table.add_column("Actual", justify="right")
    for item in result.issues:
        d = _decimals(s.issue(item.issue).scale.width)
        cells: list[str | Text] = [item.issue, _fmt(item.status_quo, d)]
        for n in names:
            cell = Text(_fmt(item.forecasts[n], d), style="bold")
            error = item.error(n)
            if error is not None:
                cell.append(f"\nerr {error:.{d}f}", style="dim")
            cells.append(cell)
        cells.append(_fmt(item.actual, d))
        table.add_row(*cells)
    if known:
        table.caption = (
            "err = |forecast - actual|; the mean error is in % of each issue's scale width."
        )
    return table


def _winners_table(result: Forecast) -> Table:
    w = result.winners
    actual = result.actual_winners
    actual_gain = {g.actor: g.gain for g in actual.ranking} if actual else {}
    table = Table(
        title=f"Who wins: gain from the status quo (forecast: {result.primary})",
        title_justify="left",
    )
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
        cells.append(f"{g.gain:+.3f}")
        if actual:
            a = actual_gain.get(g.actor)
            cells.append("–" if a is None else f"{a:+.3f}")
        table.add_row(*cells)
    table.caption = (
        "gain = salience-weighted mean over issues of (|status quo - position| - "
        "|outcome - position|) / scale width; from -1 to +1."
    )
    return table


def _actor_table(result: Forecast, actor_id: str) -> Table:
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
    for issue in s.issues:
        stance = a.stances.get(issue.id)
        if stance is None:
            continue
        cells = [issue.id, f"{stance.position.value:g}", f"{stance.salience.value:g}"]
        for name, _ in outcomes:
            g = by_actor[name].get(actor_id)
            v = None if g is None else g.by_issue.get(issue.id)
            cells.append("–" if v is None else f"{v:+.3f}")
        table.add_row(*cells)
    table.caption = "gain on an issue = (|status quo - position| - |outcome - position|) / width"
    return table


def print_forecast(result: Forecast, console: Console | None = None) -> None:
    """Print a forecast as the ``statecraft forecast`` tables, on ``console``.

    Give a console made with ``markup=False``: the tables hold the scenario's own text.
    """
    console = console or _console()
    s = result.scenario
    console.print(_forecast_table(result))
    console.print(Text("Issues and their scales:", style="bold"))
    for issue in s.issues:
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
    if result.winners.ranking:
        console.print(_winners_table(result))
    if result.winners.skipped:
        console.print(
            Text(
                "Left out of the gains (no status quo or no forecast): "
                + ", ".join(result.winners.skipped),
                style="dim",
            )
        )
    if result.details("expected-utility"):
        console.print()
        console.print(_confrontation_table(result))
    if "spatial" in result.linked:
        console.print()
        console.print(_spatial_table(result))
    if "exchange" in result.linked:
        console.print()
        console.print(_exchange_table(result))


def _exchange_table(result: Forecast) -> Table:
    """The exchange model's trades of the first round: who gives way on what, to whom."""
    details = result.linked["exchange"]
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
            f"{t['by']:+.1f}",
            s.actor(t["partner"]).display_name,
            s.issue(t["partner_gives_way_on"]).label,
            f"{t['partner_by']:+.1f}",
            f"{min(t['gain'], t['partner_gain']):.3f}",
        )
    if not details.trades(0):
        table.caption = "No two actors gain by trading: no exchange."
    return table


def _spatial_table(result: Forecast) -> Table:
    """The spatial model's final position of every actor on each issue, and the probability
    that its position prevails."""
    details = result.linked["spatial"]
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
            *(_fmt(row["final"][i], _decimals(s.issue(i).scale.width)) for i in details.issues),
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


def _confrontation_table(result: Forecast) -> Table:
    s = result.scenario
    index = result.escalation_index()
    table = Table(
        title="Expected utility model: dyads headed for confrontation when bargaining stops",
        title_justify="left",
    )
    table.add_column("Issue", no_wrap=True)
    table.add_column("Rounds", justify="right")
    table.add_column("Share of dyads", justify="right")
    table.add_column("Confrontations")
    for issue, detail in result.details("expected-utility").items():
        pairs = detail.confrontations()
        names = [f"{s.actor(a).display_name} – {s.actor(b).display_name}" for a, b in pairs]
        table.add_row(
            issue,
            f"{detail.rounds}" + ("" if detail.settled else ", still moving"),
            f"{detail.conflict_share():.0%}",
            "; ".join(names) if names else "none: the model sees this outcome as stable",
        )
    caption = (
        f"Escalation index {index:.2f}: the share of dyads headed for confrontation, averaged "
        "over the issues with two actors or more (0 = none, 1 = every pair on every issue)."
    )
    if not all(d.settled for d in result.details("expected-utility").values()):
        caption += (
            " 'Still moving': actors moved in the last round, so the forecast depends on when "
            "bargaining stops (see `statecraft rounds`; try -o rounds=N)."
        )
    table.caption = caption
    return table


def _print_csv(result: Forecast) -> None:
    records = result.to_records()
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    sys.stdout.write(out.getvalue())


def _load(source: str) -> Scenario:
    try:
        return load(source)
    except StatecraftError as exc:
        raise _fail(str(exc)) from None


@app.command("forecast")
def forecast_cmd(
    ctx: typer.Context,
    scenario: ScenarioArg,
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            "-m",
            help="A model to run (repeatable). Default: every model that applies.",
        ),
    ] = None,
    fmt: AnyFormat = OutputFormat.table,
    primary: Annotated[
        str | None,
        typer.Option(help="The model whose forecast ranks the winners (default: the first)."),
    ] = None,
    actor: Annotated[
        list[str] | None,
        typer.Option(
            "--actor",
            "-a",
            help="Also show this actor's gain issue by issue (repeatable; an actor id).",
        ),
    ] = None,
    option: OptionList = None,
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
) -> None:
    """Forecast every issue of a scenario and say who wins."""
    s = _load(scenario)
    options = _parse_options(option)
    _check_ids(scenario, actor, s.actor_ids, "actor")
    with recording(ctx, store, no_store) as record:
        try:
            result = forecast(s, model or None, primary=primary, options=options)
        except (StatecraftError, ValueError) as exc:
            raise _fail(str(exc)) from None
        record(result)
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    elif fmt is OutputFormat.csv:
        _print_csv(result)
    else:
        print_forecast(result)
        for actor_id in actor or ():
            _console().print(_actor_table(result, actor_id))


@app.command("rounds")
def rounds_cmd(
    scenario: ScenarioArg,
    issue: Annotated[
        list[str] | None,
        typer.Option("--issue", "-i", help="Only this issue (repeatable; an issue id)."),
    ] = None,
    fmt: AnyFormat = OutputFormat.table,
    option: OptionList = None,
) -> None:
    """Show the expected utility model's rounds: every actor's position, round by round."""
    s = _load(scenario)
    options = _parse_options(option)
    _check_ids(scenario, issue, s.issue_ids, "issue")
    try:
        result = forecast(s, "expected-utility", options=options)
    except (StatecraftError, ValueError) as exc:
        raise _fail(str(exc)) from None
    details = {
        k: v for k, v in result.details("expected-utility").items() if not issue or k in issue
    }
    if fmt is OutputFormat.json:
        typer.echo(
            json.dumps(
                {"scenario": s.name, "options": result.models[0].options}
                | {"issues": {k: v.to_dict() for k, v in details.items()}},
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    frame = result.rounds()
    frame = frame[frame["issue"].isin(list(details))]
    if fmt is OutputFormat.csv:
        sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))
        return
    console = _console()
    for issue_id, detail in details.items():
        console.print(_rounds_table(s, issue_id, detail))
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


def _rounds_table(s: Scenario, issue_id: str, detail: object) -> Table:
    from statecraft.models.expected_utility import EUResult

    assert isinstance(detail, EUResult)
    issue = s.issue(issue_id)
    d = _decimals(issue.scale.width)
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
            footer=f"{detail.median[t]:.{d}f}\n{detail.mean[t]:.{d}f}",
        )
    for k, actor_id in enumerate(detail.actor_ids):
        table.add_row(
            s.actor(actor_id).display_name,
            *(f"{detail.positions[t, k]:.{d}f}" for t in shown),
        )
    table.caption = (
        "r0: the scenario's positions; rK: the positions after round K, with their median "
        "and mean at the foot. The forecast is the last median."
    )
    return table


def _with_perturbation(s: Scenario, perturb: float | None) -> Scenario:
    if perturb is None:
        return s
    if not 0 < perturb <= 1:
        raise _fail(f"--perturb must lie between 0 (excluded) and 1 (got {perturb})")
    return s.with_perturbation(perturb)


_SPARK = " ▁▂▃▄▅▆▇█"


def _sparkline(counts: Any, bins: int = 24) -> str:
    """A text histogram: the counts regrouped into ``bins`` columns of block characters."""
    import numpy as np

    groups = np.array_split(np.asarray(counts), bins)
    sums = np.array([g.sum() for g in groups], dtype=float)
    top = sums.max()
    if top <= 0:
        return ""
    levels = np.ceil(sums / top * (len(_SPARK) - 1)).astype(int)
    return "".join(_SPARK[k] for k in levels)


@app.command("simulate")
def simulate_cmd(
    ctx: typer.Context,
    scenario: ScenarioArg,
    model: ModelOpt = "compromise",
    draws: Annotated[int, typer.Option("--draws", "-n", help="How many draws.", min=1)] = 10_000,
    seed: SeedOpt = 0,
    workers: Annotated[
        int, typer.Option("--workers", "-w", help="Local processes to run on.", min=1)
    ] = 1,
    dask: Annotated[
        str | None,
        typer.Option(help="Address of a Dask scheduler to run on (needs statecraft[dask])."),
    ] = None,
    perturb: PerturbOpt = None,
    fmt: TableOrJson = OutputFormat.table,
    option: OptionList = None,
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
) -> None:
    """Monte Carlo over the scenario's uncertain numbers: each forecast with its spread."""
    from rich.progress import BarColumn, TextColumn, TimeRemainingColumn

    from statecraft.analysis.uncertainty import simulate

    s = _with_perturbation(_load(scenario), perturb)
    options = _parse_options(option)
    _table_or_json(fmt, "simulate")
    bar = _progress_bar(
        TextColumn("simulating"),
        BarColumn(),
        TextColumn("{task.completed:,.0f}/{task.total:,.0f} draws"),
        TimeRemainingColumn(),
    )
    with recording(ctx, store, no_store) as record, bar:
        task = bar.add_task("draws", total=draws)
        try:
            result = simulate(
                s,
                model,
                draws=draws,
                seed=seed,
                options=options,
                workers=workers,
                dask=dask,
                progress=lambda done, total: bar.update(task, completed=done),
            )
        except (StatecraftError, ValueError, RuntimeError) as exc:
            raise _fail(str(exc)) from None
        record(result, parameters={"options": options_for(model, options), "perturb": perturb})
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        _print_simulation(result)
    if result.interrupted:
        Console(stderr=True, markup=False).print(
            f"interrupted: kept the {result.draws:,} draws done of {result.requested:,}"
        )
        raise typer.Exit(130)


def _print_simulation(result: Any) -> None:
    s = result.scenario
    console = _console()
    if not result.inputs:
        console.print(
            Text(
                "The scenario has no uncertain numbers, so every draw is the same: give numbers "
                "a range ({value, low, high}) or use --perturb.",
                style="yellow",
            )
        )
    model = result.models[0]
    table = Table(
        title=f"{s.title or s.name}: {model}, {result.draws:,} draws (seed {result.seed}), "
        f"{len(result.inputs)} uncertain numbers",
        title_justify="left",
    )
    for name, justify in (
        ("Issue", "left"),
        ("Status quo", "right"),
        ("Mean", "right"),
        ("Median", "right"),
        ("80% interval", "right"),
        ("95% interval", "right"),
        ("Actual", "right"),
        ("Distribution across the scale", "left"),
    ):
        table.add_column(name, justify=justify, no_wrap=True)  # type: ignore[arg-type]
    for summary in result.issues:
        issue = s.issue(summary.issue)
        d = _decimals(issue.scale.width)
        lo80, hi80 = summary.interval80
        lo95, hi95 = summary.interval95
        table.add_row(
            issue.id,
            _fmt(None if issue.status_quo is None else issue.status_quo.value, d),
            f"{summary.mean:.{d}f}",
            f"{summary.median:.{d}f}",
            f"{lo80:.{d}f} – {hi80:.{d}f}",
            f"{lo95:.{d}f} – {hi95:.{d}f}",
            _fmt(None if issue.actual is None else issue.actual.value, d),
            f"{issue.scale.low:g} {_sparkline(summary.histogram)} {issue.scale.high:g}",
        )
    table.caption = (
        "Intervals and the median are read from a histogram of 2,000 bins across each scale."
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


@app.command("compare")
def compare_cmd(
    ctx: typer.Context,
    scenario: ScenarioArg,
    patch: Annotated[
        list[str],
        typer.Argument(help="Counterfactual patch files, or names of the scenario's built-ins."),
    ],
    model: ModelOpt = "compromise",
    draws: Annotated[
        int, typer.Option("--draws", "-n", help="Also simulate each, with this many draws.", min=0)
    ] = 0,
    seed: SeedOpt = 0,
    perturb: PerturbOpt = None,
    fmt: TableOrJson = OutputFormat.table,
    option: OptionList = None,
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
) -> None:
    """Forecast a scenario and counterfactual patches of it, side by side."""
    from statecraft.analysis.counterfactual import compare, load_patch
    from statecraft.analysis.uncertainty import uncertain_inputs

    s = _with_perturbation(_load(scenario), perturb)
    options = _parse_options(option)
    if draws and not uncertain_inputs(s):
        Console(stderr=True, markup=False).print(
            "note: the scenario has no uncertain numbers, so the intervals are points: "
            "give numbers a range or use --perturb"
        )
    _table_or_json(fmt, "compare")
    try:
        patches = [load_patch(p, scenario=s) for p in patch]
        names = [p.name for p in patches]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"two patches are named {twice[0]!r}; give each its own name")
    except (StatecraftError, ValueError) as exc:
        raise _fail(str(exc)) from None
    with recording(ctx, store, no_store) as record:
        try:
            result = compare(s, patches, model, draws=draws, seed=seed, options=options)
        except (StatecraftError, ValueError) as exc:
            raise _fail(str(exc)) from None
        record(result, parameters={"perturb": perturb})
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    _print_comparison(result, model)


def _print_comparison(result: Any, model: str) -> None:
    console = _console()
    s = result.base.scenario
    runs = [("base", result.base), *((p.name, f) for p, f in result.patched)]
    sims = {label: sim for (label, _), sim in zip(runs, result.simulations, strict=False)}
    table = Table(title=f"{s.title or s.name}: counterfactuals ({model})", title_justify="left")
    table.add_column("Issue", no_wrap=True)
    for label, _ in runs:
        table.add_column(label, justify="right")
    table.add_column("Actual", justify="right")
    for item in result.base.issues:
        d = _decimals(s.issue(item.issue).scale.width)
        base = item.forecasts.get(model)
        cells: list[str | Text] = [item.issue]
        for label, f in runs:
            value = f.value(item.issue, model)
            cell = Text(_fmt(value, d), style="bold")
            if label != "base" and value is not None and base is not None:
                cell.append(f" ({value - base:+.{d}f})", style="dim")
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
                cell.append(f"\n80%: {lo:.{d}f}–{hi:.{d}f}", style="dim")
            cells.append(cell)
        cells.append(_fmt(item.actual, d))
        table.add_row(*cells)
    table.caption = "In brackets: the difference from the base forecast."
    console.print(table)
    gains = Table(title="Who wins under each: gain from the status quo", title_justify="left")
    gains.add_column("Actor")
    for label, _ in runs:
        gains.add_column(label, justify="right")
    by_run = [{g.actor: g.gain for g in f.winners.ranking} for _, f in runs]
    for actor in s.actors:
        if actor.id in by_run[0]:
            gains.add_row(
                actor.display_name,
                *("–" if actor.id not in g else f"{g[actor.id]:+.3f}" for g in by_run),
            )
    console.print(gains)
    for label, f in runs:
        console.print(Text(f"{label}: {f.winners.headline}", style="bold"))
    for p, _ in result.patched:
        console.print(Text(f"{p.name} assumes: {p.assumes}", style="dim"))


class Method(StrEnum):
    oat = "oat"
    sobol = "sobol"
    both = "both"


@app.command("sensitivity")
def sensitivity_cmd(
    scenario: ScenarioArg,
    model: ModelOpt = "compromise",
    method: Annotated[
        Method, typer.Option(help="oat (one at a time, a tornado), sobol, or both.")
    ] = Method.oat,
    samples: Annotated[
        int, typer.Option(help="Sobol base sample size N, a power of two.", min=2)
    ] = 1024,
    seed: SeedOpt = 0,
    perturb: PerturbOpt = None,
    issue: Annotated[
        list[str] | None, typer.Option("--issue", "-i", help="Only this issue (repeatable).")
    ] = None,
    top: Annotated[int, typer.Option(help="Show the top inputs of each issue.", min=1)] = 10,
    fmt: TableOrJson = OutputFormat.table,
    option: OptionList = None,
) -> None:
    """Rank the uncertain numbers by how much they move each forecast."""
    from statecraft.analysis.sensitivity import one_at_a_time, sobol_indices

    s = _with_perturbation(_load(scenario), perturb)
    options = _parse_options(option)
    _table_or_json(fmt, "sensitivity")
    _check_ids(scenario, issue, s.issue_ids, "issue")
    try:
        oat = one_at_a_time(s, model, options=options) if method != Method.sobol else None
        sob = (
            sobol_indices(s, model, samples=samples, seed=seed, options=options)
            if method != Method.oat
            else None
        )
    except (StatecraftError, ValueError, RuntimeError) as exc:
        raise _fail(str(exc)) from None
    first = oat or sob
    assert first is not None
    if not first.inputs:
        raise _fail(
            f"{scenario}: the scenario has no uncertain numbers: give numbers a range "
            "({value, low, high}) or use --perturb"
        )
    if fmt is OutputFormat.json:
        data = {
            "oat": oat.to_dict(issue, top) if oat else None,
            "sobol": sob.to_dict(issue, top) if sob else None,
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    console = _console()
    issues = [i for i in s.issues if (not issue or i.id in issue) and i.id in first.base]
    for item in issues:
        d = _decimals(item.scale.width)
        if oat:
            swings = oat.tornado(item.id)[:top]
            biggest = max((w.swing for w in swings), default=0.0) or 1.0
            table = Table(
                title=f"{item.label} ({item.id}): one at a time, {model}; "
                f"base forecast {oat.base[item.id]:.{d}f}",
                title_justify="left",
            )
            table.add_column("Input", no_wrap=True)
            table.add_column("at low", justify="right")
            table.add_column("at high", justify="right")
            table.add_column("Swing", justify="right")
            table.add_column("", no_wrap=True)
            for w in swings:
                bar = "█" * max(1, round(w.swing / biggest * 30)) if w.swing > 0 else ""
                table.add_row(
                    w.input, f"{w.at_low:.{d}f}", f"{w.at_high:.{d}f}", f"{w.swing:.{d}f}", bar
                )
            console.print(table)
        if sob:
            table = Table(
                title=f"{item.label} ({item.id}): Sobol indices, {model}, N = {sob.samples}",
                title_justify="left",
            )
            table.add_column("Input", no_wrap=True)
            table.add_column("First order (S1)", justify="right")
            table.add_column("Total (ST)", justify="right")
            for x in sob.ranked_sobol(item.id)[:top]:
                table.add_row(
                    x.input,
                    f"{x.first:.3f} ± {x.first_conf:.3f}",
                    f"{x.total:.3f} ± {x.total_conf:.3f}",
                )
            table.caption = "± a 95% confidence half-width (bootstrap, SALib)."
            console.print(table)


@app.command("backtest")
def backtest_cmd(
    ctx: typer.Context,
    path: Annotated[str, typer.Argument(help="A DEU-format table (tab- or comma-separated).")],
    model: Annotated[
        list[str] | None,
        typer.Option(
            "--model",
            "-m",
            help="A model or baseline to score (repeatable; default: all). Baselines: "
            "status-quo, commission, mean, median-position.",
        ),
    ] = None,
    capability: Annotated[
        str, typer.Option(help="The capability rule for the actors (see docs/backtest.md).")
    ] = "equal",
    replicates: Annotated[
        int, typer.Option(help="Bootstrap resamples of the proposals.", min=10)
    ] = 2000,
    seed: SeedOpt = 0,
    fmt: AnyFormat = OutputFormat.table,
    out: Annotated[
        str | None,
        typer.Option(
            help="Write the per-issue forecasts (CSV) and the leaderboard (Markdown) here."
        ),
    ] = None,
    option: OptionList = None,
    cv: Annotated[
        bool,
        typer.Option(
            "--cv",
            help="Also fit the fitted families on this file and score them by "
            "cross-validation grouped by proposal (rows cv:FAMILY; needs statecraft[fit]).",
        ),
    ] = False,
    fitted: Annotated[
        bool,
        typer.Option(
            "--fitted",
            help="Also score the parameters shipped with Statecraft (rows fitted:FAMILY); "
            "in-sample on the file they were fitted on.",
        ),
    ] = False,
    family: Annotated[
        list[str] | None,
        typer.Option(
            "--family",
            help="A fitted family for --cv/--fitted (repeatable; default: all). Families: "
            "sq-blend, salience-power, capability, eu-qt, combination.",
        ),
    ] = None,
    folds: Annotated[int, typer.Option(help="Folds of proposals for --cv.", min=2)] = 10,
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
) -> None:
    """Score every model and baseline against real decisions in a DEU-format table."""
    from statecraft.analysis.backtest import BASELINES, backtest
    from statecraft.io.deu import read_deu

    options = _parse_options(option)
    with recording(ctx, store, no_store) as record:
        try:
            table = read_deu(path, capability=capability)
            extra, how = _fitted_forecasts(
                table, path, cv=cv, fitted=fitted, family=family, folds=folds, seed=seed
            )
            names = list(model) if model else None
            per_model = {name: options_for(name, options) for name in available_models()}
            accepted = {k for opts in per_model.values() for k in opts}
            if set(options) - accepted:
                raise ValueError(f"unknown option {sorted(set(options) - accepted)[0]!r}")
            for name in names or ():
                if name not in BASELINES and name not in available_models():
                    raise ValueError(
                        f"unknown model or baseline {name!r}; the models are: "
                        f"{', '.join(available_models())}; the baselines: {', '.join(BASELINES)}"
                    )
            result = backtest(
                table,
                names,
                options=per_model,
                replicates=replicates,
                seed=seed,
                extra=extra,
                fitted=how,
            )
        except (StatecraftError, ValueError, ImportError) as exc:
            raise _fail(str(exc)) from None
        record(
            result,
            source=path,
            parameters={"options": {n: per_model[n] for n in result.models if n in per_model}},
        )
    if out:
        _write_backtest(result, out)
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    elif fmt is OutputFormat.csv:
        sys.stdout.write(result.to_frame().to_csv(index=False, lineterminator="\n"))
    else:
        _console().print(_leaderboard_table(result, path))


def _fitted_forecasts(
    table: Any,
    path: str,
    *,
    cv: bool,
    fitted: bool,
    family: list[str] | None,
    folds: int,
    seed: int,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The forecasts of the fitted families asked for, and how they were made."""
    from statecraft.analysis import fitted as fit

    families = list(family) if family else list(fit.FAMILIES)
    if family and not (cv or fitted):
        raise ValueError("--family chooses families for --cv or --fitted; give one of them")
    extra: dict[str, Any] = {}
    how: dict[str, Any] = {}
    if cv:
        from rich.progress import BarColumn, TextColumn

        bar = _progress_bar(TextColumn("{task.description}"), BarColumn())
        with bar:
            task = bar.add_task("cross-validating", total=None)
            result = fit.cross_validate(
                table,
                families,
                folds=folds,
                seed=seed,
                progress=lambda what, done, total: bar.update(
                    task, description=what, completed=done, total=total
                ),
            )
        extra |= {f"cv:{f}": v for f, v in result.forecasts.items()}
        how["cv"] = {
            "folds": folds,
            "seed": seed,
            "grouped_by": "proposal",
            "parameters_per_fold": {f: list(p) for f, p in result.parameters.items()},
        }
    if fitted:
        shipped = fit.load_fitted()
        in_sample = fit.sha256(path) == shipped["fitted_on"]["sha256"]
        mark = " (in-sample)" if in_sample else ""
        forecasts = fit.apply_fitted(table, None, families)
        extra |= {f"fitted:{f}{mark}": v for f, v in forecasts.items()}
        how["shipped"] = {
            "fitted_on": shipped["fitted_on"],
            "in_sample": in_sample,
            "parameters": {f: shipped["families"][f]["parameters"] for f in families},
        }
    return extra, how


def _leaderboard_table(result: Any, path: str) -> Table:
    table = Table(
        title=f"Backtest on {path}: {len(result.table.issues)} issues of "
        f"{len(result.table.proposals)} proposals (capability: {result.table.capability})",
        title_justify="left",
    )
    for name in ("Model", "n", "MAE [95%]", "RMSE [95%]", "Median AE", "vs compromise [95%]"):
        table.add_column(name, justify="left" if name == "Model" else "right", no_wrap=True)
    for s in result.leaderboard():
        diff = "–"
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
        )
    skipped = ", ".join(f"{reason}: {n}" for reason, n in result.table.skipped.items())
    table.caption = (
        "Errors on the 0-100 scale; intervals from "
        f"{result.replicates:,} bootstrap resamples of proposals. "
        "vs compromise: mean difference in absolute error on the issues both forecast "
        "(negative is better). " + (f"Rows skipped or amended: {skipped}." if skipped else "")
    )
    if result.table.capability == "fitted":
        from statecraft.analysis.fitted import load_fitted, sha256

        if sha256(path) == load_fitted()["fitted_on"]["sha256"]:
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


def _write_backtest(result: Any, folder: str) -> None:
    from pathlib import Path

    target = Path(folder)
    target.mkdir(parents=True, exist_ok=True)
    result.to_frame().to_csv(target / "forecasts.csv", index=False)
    lines = [
        "| model | n | MAE | 95% interval | RMSE | median AE | vs compromise | 95% interval |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for s in result.leaderboard():
        diff = "–" if s.vs_compromise is None else f"{s.vs_compromise:+.1f}"
        dci = (
            "–"
            if s.vs_compromise_ci is None
            else (f"{s.vs_compromise_ci[0]:+.1f} to {s.vs_compromise_ci[1]:+.1f}")
        )
        lines.append(
            f"| {s.model} | {s.n} | {s.mae:.1f} | {s.mae_ci[0]:.1f} to {s.mae_ci[1]:.1f} | "
            f"{s.rmse:.1f} | {s.median_ae:.1f} | {diff} | {dci} |"
        )
    (target / "leaderboard.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


@app.command("plot")
def plot_cmd(
    scenario: Annotated[
        str, typer.Argument(help="A scenario (built-in name or file); for backtest, a DEU table.")
    ],
    kind: Annotated[
        str,
        typer.Argument(
            help="trajectories, issue-map, winners, quadrant, confrontations, distributions, "
            "tornado, counterfactuals or backtest."
        ),
    ],
    output: Annotated[
        str, typer.Option("--output", "-o", help="The file to write: .png, .svg or .pdf.")
    ],
    issue: Annotated[
        str | None,
        typer.Option(help="The issue (trajectories, quadrant, tornado; default: the first)."),
    ] = None,
    actor: Annotated[str | None, typer.Option(help="The actor whose view (quadrant).")] = None,
    model: Annotated[
        str,
        typer.Option("--model", "-m", help="The model (distributions, tornado, counterfactuals)."),
    ] = "compromise",
    patch: Annotated[
        list[str] | None,
        typer.Option("--patch", "-p", help="A counterfactual patch (counterfactuals; repeatable)."),
    ] = None,
    draws: Annotated[int, typer.Option(help="Monte Carlo draws (distributions).", min=1)] = 2000,
    seed: SeedOpt = 0,
) -> None:
    """Draw a chart of a scenario's forecast, rounds, winners, dyads, uncertainty,
    counterfactuals, or of a backtest, and write it to a file."""
    from pathlib import Path

    try:
        from statecraft.report import charts
    except ImportError as exc:  # pragma: no cover - matplotlib is in the dev install
        raise _fail(str(exc)) from None
    if kind not in charts.KINDS:
        raise _fail(f"unknown chart {kind!r}; the charts are: {', '.join(charts.KINDS)}")
    target = Path(output)
    if target.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise _fail(f"cannot tell the image format of {output!r}: name a .png, .svg or .pdf file")
    if kind == "quadrant" and actor is None:
        raise _fail("the quadrant chart needs --actor: whose view to draw")
    try:
        figure = _chart(
            charts,
            scenario,
            kind,
            issue=issue,
            actor=actor,
            model=model,
            patches=patch or [],
            draws=draws,
            seed=seed,
        )
        figure.savefig(target, dpi=150)
    except (StatecraftError, ValueError, KeyError) as exc:
        raise _fail(str(exc).strip("'\"")) from None
    except OSError as exc:
        raise _fail(f"cannot write {output!r}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {target}")


def _chart(
    charts: Any,
    source: str,
    kind: str,
    *,
    issue: str | None,
    actor: str | None,
    model: str,
    patches: list[str],
    draws: int,
    seed: int,
) -> Any:
    """Compute what a chart needs and draw it."""
    if kind == "backtest":
        from statecraft.analysis.backtest import backtest
        from statecraft.io.deu import read_deu

        return charts.backtest_chart(backtest(read_deu(source), replicates=10))
    s = _load(source)
    if issue is not None and issue not in s.issue_ids:
        raise ValueError(f"unknown issue {issue!r}; the issues are: {', '.join(s.issue_ids)}")
    if kind in ("trajectories", "issue-map", "winners", "quadrant", "confrontations"):
        f = forecast(s)
        if kind == "trajectories":
            return charts.trajectories(f, issue)
        if kind == "issue-map":
            return charts.issue_map(f)
        if kind == "winners":
            return charts.winners_chart(f)
        if kind == "quadrant":
            return charts.quadrant(f, str(actor), issue)
        return charts.confrontations(f)
    if kind == "distributions":
        from statecraft.analysis.uncertainty import simulate

        return charts.distributions(simulate(s, model, draws=draws, seed=seed))
    if kind == "tornado":
        from statecraft.analysis.sensitivity import one_at_a_time

        return charts.tornado(one_at_a_time(s, model), issue or s.issue_ids[0])
    from statecraft.analysis.counterfactual import compare, load_patch

    if not patches:
        raise ValueError("the counterfactuals chart needs at least one --patch")
    loaded = [load_patch(p, scenario=s) for p in patches]
    return charts.counterfactuals(compare(s, loaded, model))


@app.command("report")
def report_cmd(
    scenario: Annotated[str, typer.Argument(help="A built-in scenario name or a file.")],
    output: Annotated[str, typer.Option("--output", "-o", help="The HTML file to write.")],
    draws: Annotated[
        int, typer.Option(help="Monte Carlo draws for the uncertainty section (0: none).", min=0)
    ] = 0,
    patch: Annotated[
        list[str] | None,
        typer.Option("--patch", "-p", help="A counterfactual patch to compare (repeatable)."),
    ] = None,
    model: ModelOpt = "compromise",
    seed: SeedOpt = 0,
) -> None:
    """Write a self-contained HTML report: scenario, forecasts, winners, rounds,
    confrontations, uncertainty, counterfactuals, method and limits."""
    from statecraft.analysis.counterfactual import load_patch

    try:
        from statecraft.report.html import render_report
    except ImportError as exc:  # pragma: no cover - the report extra is in the dev install
        raise _fail(f"{exc}: pip install 'statecraft[report]'") from None
    s = _load(scenario)
    try:
        patches = [load_patch(p, scenario=s) for p in patch or []]
        path = render_report(s, output, draws=draws, seed=seed, patches=patches, model=model)
    except (StatecraftError, ValueError) as exc:
        raise _fail(str(exc)) from None
    except OSError as exc:
        raise _fail(f"cannot write {output!r}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {path}")


@app.command("scenarios")
def scenarios_cmd() -> None:
    """List the built-in scenarios."""
    table = Table(title="Built-in scenarios", title_justify="left")
    table.add_column("Name", style="bold")
    table.add_column("Title")
    table.add_column("Actors", justify="right")
    table.add_column("Issues", justify="right")
    table.add_column("Counterfactual patches")
    from statecraft.analysis.counterfactual import builtin_patches

    for name in builtin_names():
        s = load(name)
        table.add_row(
            name,
            s.title or "",
            str(len(s.actors)),
            str(len(s.issues)),
            ", ".join(builtin_patches(name)) or "–",
        )
    _console().print(table)


@app.command("models")
def models_cmd() -> None:
    """List the models, with their sources."""
    table = Table(title="Models", title_justify="left")
    table.add_column("Name", style="bold")
    table.add_column("Model")
    table.add_column("Source", style="dim")
    table.add_column("Options", style="dim")
    for name, cls in available_models().items():
        defaults = ", ".join(f"{k}={v}" for k, v in cls().options.items()) or "–"
        table.add_row(name, cls.title, cls.citation, defaults)
    _console().print(table)


@app.command("convert")
def convert_cmd(
    source: Annotated[str, typer.Argument(help="A scenario file, or a built-in scenario's name.")],
    output: Annotated[str, typer.Argument(help="The file to write, or - for standard output.")],
    from_: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="The input's format, when its content does not say: yaml, json, csv, ktab, "
            "decide.",
        ),
    ] = None,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help="The output's format (default: from its suffix, .yaml .json or .csv): yaml, "
            "json, csv, ktab, decide.",
        ),
    ] = None,
) -> None:
    """Convert a scenario between formats: Statecraft's YAML, JSON and CSV table, KTAB's CSV,
    and the decide exchange model's input. What the output cannot hold is listed."""
    from statecraft.io import SUFFIXES, Format, dumps, losses

    try:
        s = load(source, fmt=from_)
        if to is not None:
            fmt = Format(to) if to in {f.value for f in Format} else None
            if fmt is None:
                raise ValueError(
                    f"unknown format {to!r} for --to; the formats are: "
                    + ", ".join(f.value for f in Format)
                )
        elif Path(output).suffix.lower() in SUFFIXES:
            fmt = SUFFIXES[Path(output).suffix.lower()]
        else:
            raise ValueError(
                f"cannot tell the output's format from {output!r}: give --to "
                "(yaml, json, csv, ktab or decide)"
            )
        text = dumps(s, fmt)
        lost = losses(s, fmt)
    except (StatecraftError, ValueError) as exc:
        raise _fail(str(exc)) from None
    err = Console(stderr=True, markup=False, highlight=False, soft_wrap=True)
    if lost:
        err.print(f"note: the {fmt.value} format cannot hold all of {s.name}; left out or changed:")
        for line in lost:
            err.print(f"  - {line}")
    if _emit(text, output):
        err.print(f"wrote {output} ({fmt.value})")


@app.command("serve")
def serve_cmd(
    host: Annotated[
        str, typer.Option(help="The address to listen on; 127.0.0.1 serves this machine only.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port.", min=1, max=65535)] = 8765,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="STATECRAFT_TOKEN",
            help="A secret every API request must carry (Authorization: Bearer TOKEN); "
            "required to listen beyond this machine.",
            show_default=False,
        ),
    ] = None,
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
) -> None:
    """Serve the web app: build, run and read scenarios in the browser (needs statecraft[web])."""
    local = host in ("127.0.0.1", "localhost", "::1")
    if not local and not token:
        raise _fail(
            f"listening on {host} opens the app to other machines: give a token "
            "(--token or STATECRAFT_TOKEN) that every request must carry"
        )
    try:
        import uvicorn

        from statecraft.web import create_app
    except ImportError:
        raise _fail("the web app needs statecraft[web]: pip install 'statecraft[web]'") from None
    err = Console(stderr=True, markup=False, highlight=False, soft_wrap=True)
    if not local:
        err.print(
            f"warning: listening on {host}: other machines can reach the app; every API "
            "request must carry the token"
        )
    err.print(f"Statecraft on http://{host}:{port}/ (the API: /api/, described at /openapi.json)")
    uvicorn.run(
        create_app(token=token, store=store, record=not no_store),
        host=host,
        port=port,
        log_level="warning",
    )


@app.command("validate")
def validate_cmd(
    file: Annotated[str, typer.Argument(help="A scenario file (YAML, JSON or CSV table).")],
) -> None:
    """Check a scenario file; print what it holds, or the first problem."""
    s = _load(file)
    typer.echo(f"ok: {s.name}: {_count(len(s.actors), 'actor')}, {_count(len(s.issues), 'issue')}")


@app.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of the native scenario format."""
    schema = Scenario.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Statecraft scenario"
    typer.echo(json.dumps(schema, indent=2))


def main() -> None:
    """Entry point of the ``statecraft`` console script."""
    try:
        app()
    except KeyboardInterrupt:
        Console(stderr=True).print("interrupted")
        sys.exit(130)


if __name__ == "__main__":
    main()
