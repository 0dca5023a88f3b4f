"""``statecraft backtest``: score the models and baselines against real decisions."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from statecraft import StatecraftError, available_models
from statecraft.api import BASELINES, backtest, capability_rule, options_for, read_deu
from statecraft.api import fitted as fit
from statecraft.cli.options import (
    AnyFormat,
    LabelOpt,
    NoStoreOpt,
    OptionList,
    OutputFormat,
    SeedOpt,
    StoreOpt,
    parse_options,
)
from statecraft.cli.record import recording
from statecraft.cli.render import print_frame_csv, print_json
from statecraft.cli.render_backtest import leaderboard_table, write_backtest
from statecraft.cli.util import fail, new_console, progress_bar


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
        int,
        typer.Option(
            help="Bootstrap resamples of the proposals (10 to 100,000).", min=10, max=100_000
        ),
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
            "cross-validation grouped by proposal (rows cv:FAMILY; needs statecraft\\[fit]).",
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
    folds: Annotated[
        int,
        typer.Option(
            help="Folds of proposals, dealt from --seed: for --cv, and for the out-of-fold "
            "calibration scores (CRPS, coverage of the 80% and 95% intervals).",
            min=2,
        ),
    ] = 10,
    label: LabelOpt = None,
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
) -> None:
    """Score every model and baseline against real decisions in a DEU-format table."""
    options = parse_options(option)
    with recording(ctx, store, no_store) as record:
        try:
            table = read_deu(path, capability=capability_rule(capability))
            extra, how = fitted_forecasts(
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
                folds=folds,
            )
        except (StatecraftError, ValueError, ImportError) as exc:
            raise fail(str(exc)) from None
        record(
            result,
            source=path,
            parameters={"options": {n: per_model[n] for n in result.models if n in per_model}},
        )
        # written and printed under `with`: a run that could not be recorded still shows them
        if out:
            write_backtest(result, out)
        if fmt is OutputFormat.json:
            print_json(result.to_dict())
        elif fmt is OutputFormat.csv:
            print_frame_csv(result.to_frame())
        else:
            new_console().print(leaderboard_table(result, path))


def fitted_forecasts(
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
    families = list(family) if family else list(fit.FAMILIES)
    if family and not (cv or fitted):
        raise ValueError("--family chooses families for --cv or --fitted; give one of them")
    extra: dict[str, Any] = {}
    how: dict[str, Any] = {}
    if cv:
        from rich.progress import BarColumn, TextColumn

        bar = progress_bar(TextColumn("{task.description}"), BarColumn())
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
