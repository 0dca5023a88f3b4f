"""``statecraft plot`` and ``statecraft report``: a chart, or a whole report, to a file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from statecraft import StatecraftError, compare, forecast, load_patch, one_at_a_time, simulate
from statecraft.cli.options import ModelOpt, SeedOpt
from statecraft.cli.util import fail, load_scenario


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
    try:
        from statecraft.api import charts
    except ImportError as exc:  # pragma: no cover - matplotlib is in the dev install
        raise fail(str(exc)) from None
    if kind not in charts.KINDS:
        raise fail(f"unknown chart {kind!r}; the charts are: {', '.join(charts.KINDS)}")
    target = Path(output)
    if target.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise fail(f"cannot tell the image format of {output!r}: name a .png, .svg or .pdf file")
    if kind == "quadrant" and actor is None:
        raise fail("the quadrant chart needs --actor: whose view to draw")
    try:
        figure = chart(
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
        raise fail(str(exc).strip("'\"")) from None
    except OSError as exc:
        raise fail(f"cannot write {output!r}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {target}")


def chart(
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
        from statecraft.api import backtest, read_deu

        return charts.backtest_chart(backtest(read_deu(source), replicates=10))
    s = load_scenario(source)
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
        return charts.distributions(simulate(s, model, draws=draws, seed=seed))
    if kind == "tornado":
        return charts.tornado(one_at_a_time(s, model), issue or s.issue_ids[0])
    if not patches:
        raise ValueError("the counterfactuals chart needs at least one --patch")
    loaded = [load_patch(p, scenario=s) for p in patches]
    return charts.counterfactuals(compare(s, loaded, model))


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
    try:
        from statecraft.api import render_report
    except ImportError as exc:  # pragma: no cover - the report extra is in the dev install
        raise fail(f"{exc}: pip install 'statecraft[report]'") from None
    s = load_scenario(scenario)
    try:
        patches = [load_patch(p, scenario=s) for p in patch or []]
        path = render_report(s, output, draws=draws, seed=seed, patches=patches, model=model)
    except (StatecraftError, ValueError) as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot write {output!r}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {path}")
