"""``statecraft runs ...``: list, show, export, compare and delete the runs recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from statecraft import diff_runs, open_store
from statecraft.api import NoStore, StoreError, default_location, mask_location, textsafe
from statecraft.cli.options import OutputFormat, StoreOpt, TableOrJson, table_or_json
from statecraft.cli.render import print_frame_csv, print_json
from statecraft.cli.util import emit, fail, new_console, note

runs_app = typer.Typer(
    name="runs",
    help="The run store: every forecast, simulate, compare, sensitivity and backtest run, kept "
    "with what made it. List, show, export and compare past runs.",
    no_args_is_help=True,
)

RunRef = Annotated[
    str, typer.Argument(help="A run id, a prefix of one that names a single run, or 'latest'.")
]


@contextmanager
def _reading(
    store: str | None, quiet: type[Exception] | None = None, *, write: bool = False
) -> Iterator[Any]:
    """The store, opened read-only (``write``: to change it); its errors end the command
    with a message, status 2 (but for those of the ``quiet`` kind, left to the caller)."""
    where = store or default_location()
    try:
        opened = open_store(where, create=False, write=write)
    except StoreError as exc:
        if quiet is not None and isinstance(exc, quiet):
            raise
        raise fail(str(exc)) from None
    try:
        yield opened
    except StoreError as exc:
        raise fail(str(exc)) from None
    finally:
        opened.close()


def _when(created: Any) -> str:
    import pandas as pd

    if pd.isna(created):
        return "–"
    return str(created.tz_convert(None).strftime("%Y-%m-%d %H:%M:%S")) + " UTC"


def _cell(value: Any) -> str:
    """A field of `runs list`: "–" for one that cannot be read (None, NaN, NA)."""
    import pandas as pd

    return "–" if value is None or pd.isna(value) else str(value)


@runs_app.command("list")
def list_cmd(
    command: Annotated[
        str | None,
        typer.Option(
            help="Only runs of this command: forecast, simulate, compare, sensitivity or backtest."
        ),
    ] = None,
    scenario: Annotated[
        str | None, typer.Option(help="Only runs on this scenario (or table file name).")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", help="At most this many.", min=1)] = 20,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, json or csv.")
    ] = OutputFormat.table,
    store: StoreOpt = None,
) -> None:
    """The runs recorded, newest first. A run that cannot be read is listed as
    ``unreadable`` (see `statecraft runs check`)."""
    import pandas as pd

    try:
        with _reading(store, quiet=NoStore) as opened:
            frame = opened.runs(command=command, scenario=scenario, limit=limit)
            try:
                total: int | None = len(opened)
            except StoreError:
                total = None
            location = opened.location
    except NoStore:
        typer.echo(f"no runs recorded yet in {mask_location(store or default_location())}")
        return
    lost = frame.loc[frame["status"] == "unreadable", "id"].tolist()
    if lost:
        note(
            f"note: {len(lost)} run{'s' if len(lost) > 1 else ''} cannot be read "
            f"({', '.join(lost[:5])}{', ...' if len(lost) > 5 else ''}): "
            "`statecraft runs check` says why"
        )
    if fmt is OutputFormat.json:
        out = frame.assign(
            created=frame["created"].map(lambda t: None if pd.isna(t) else t.isoformat())
        )
        typer.echo(out.to_json(orient="records", indent=2, force_ascii=False))
        return
    if fmt is OutputFormat.csv:
        print_frame_csv(frame)
        return
    table = Table(
        title=f"Runs in {location}: {len(frame)} shown of {'?' if total is None else total}",
        title_justify="left",
    )
    names = ["Run", "Time", "Command", "Scenario", "Models", "Seed", "Status", "Version"]
    labelled = frame["label"].notna().any()
    for name in names + (["Label"] if labelled else []):
        table.add_column(name, style="bold" if name == "Run" else None)
    for r in frame.itertuples():
        cells = [r.command, r.scenario, r.models, r.seed, r.status, r.version]
        table.add_row(
            str(r.id), _when(r.created), *map(_cell, cells + ([r.label] if labelled else []))
        )
    new_console().print(table)


def _value(x: Any) -> str:
    if isinstance(x, float):
        return f"{x:.4g}"
    if isinstance(x, dict | list):
        return json.dumps(x, ensure_ascii=False)
    return "–" if x is None else str(x)


def _records_table(title: str, records: list[dict[str, Any]], rows: int) -> Table:
    table = Table(title=title, title_justify="left")
    columns = list(dict.fromkeys(k for r in records for k in r))
    for c in columns:
        table.add_column(c)
    for r in records[:rows]:
        table.add_row(*(_value(r.get(c)) for c in columns))
    return table


@runs_app.command("show")
def show_cmd(
    run: RunRef,
    rows: Annotated[
        int, typer.Option(help="Show at most this many rows of each result table.", min=1)
    ] = 30,
    fmt: TableOrJson = OutputFormat.table,
    store: StoreOpt = None,
) -> None:
    """One run: how it was made and its result tables."""
    if fmt is OutputFormat.csv:
        raise fail("runs show prints a table or json; `runs export ID --table NAME` gives CSV")
    with _reading(store) as opened:
        r = opened.get(run)
    if fmt is OutputFormat.json:
        data = r.to_dict()
        data.pop("input")
        data["input"] = {"kind": r.input_kind, "name": r.input_name, "sha256": r.input_hash}
        print_json(data)
        return
    console = new_console()
    about = Table(title=f"Run {r.id}", title_justify="left", show_header=False)
    about.add_column(style="bold")
    about.add_column()
    for what, value in (
        ("time", r.created.strftime("%Y-%m-%d %H:%M:%S UTC")),
        ("command", r.command),
        ("arguments", _value(dict(r.arguments))),
        (r.input_kind, f"{r.input_name} (sha256 {r.input_hash[:16]}…)"),
        ("models", ", ".join(r.models)),
        ("parameters", _value(dict(r.parameters))),
        ("seed", _value(r.seed)),
        ("status", r.status),
        ("statecraft", r.version),
        ("seconds", "–" if r.elapsed is None else f"{r.elapsed:.2f}"),
    ):
        about.add_row(what, value)
    console.print(about)
    for name, (_, records) in r.tables.items():
        more = len(records) - rows
        title = f"{name} ({len(records)} rows{f', first {rows} shown' if more > 0 else ''})"
        console.print(_records_table(title, records, rows))
    console.print(
        Text(
            f"statecraft runs export {r.id} gives everything (--table NAME for one table "
            "as CSV, --scenario for the input)",
            style="dim",
        )
    )


@runs_app.command("export")
def export_cmd(
    run: RunRef,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Write here (default: standard output).")
    ] = None,
    table: Annotated[
        str | None, typer.Option(help="Only this result table, as CSV (e.g. forecasts).")
    ] = None,
    scenario: Annotated[
        bool,
        typer.Option(
            "--scenario",
            help="Only the run's input: the scenario as a JSON file `statecraft forecast` "
            "reads, or the DEU table as it was.",
        ),
    ] = False,
    store: StoreOpt = None,
) -> None:
    """Everything a run recorded, as JSON; or one table as CSV; or its scenario."""
    if table and scenario:
        raise fail("give --table or --scenario, not both")
    with _reading(store) as opened:
        r = opened.get(run)
    if scenario:
        text = r.input
    elif table:
        try:
            frame = textsafe.csv_frame(r.frame(table))  # no cell a spreadsheet would run
            text = frame.to_csv(index=False, lineterminator="\n")
        except KeyError as exc:
            raise fail(str(exc.args[0])) from None
    else:
        text = json.dumps(r.to_dict(), indent=2, ensure_ascii=False) + "\n"
    if emit(text, output):
        typer.echo(f"wrote {output}")


@runs_app.command("diff")
def diff_cmd(
    a: Annotated[str, typer.Argument(help="The first run (id, prefix or 'latest').")],
    b: Annotated[str, typer.Argument(help="The second run.")],
    tolerance: Annotated[
        float, typer.Option(help="Numbers closer than this count as equal.", min=0)
    ] = 1e-9,
    fmt: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="table, json or csv.")
    ] = OutputFormat.table,
    store: StoreOpt = None,
) -> None:
    """What differs between two runs: setup, scenario, and every number of their tables."""
    with _reading(store) as opened:
        d = diff_runs(opened.get(a), opened.get(b), tolerance=tolerance)
    if fmt is OutputFormat.json:
        print_json(d.to_dict())
        return
    if fmt is OutputFormat.csv:
        print_frame_csv(d.values)
        return
    console = new_console()
    if d.same:
        console.print(f"runs {d.a} and {d.b} agree: same setup, same input, same numbers")
        return
    for title, rows, first in (
        ("Setup", d.setup, "what"),
        ("Scenario", d.inputs, "path"),
    ):
        if not rows:
            console.print(Text(f"{title}: the same", style="dim"))
            continue
        t = Table(title=f"{title}: what differs", title_justify="left")
        for name in (first, d.a, d.b):
            t.add_column(name)
        for what, x, y in rows:
            t.add_row(what, _value(x), _value(y))
        console.print(t)
    if d.unmatched:
        t = Table(title="Result rows in one run only", title_justify="left")
        for name in ("table", "key", "only in"):
            t.add_column(name)
        for row in d.unmatched:
            t.add_row(*row)
        console.print(t)
    if d.values.empty:
        console.print(Text("Results: the same numbers in the rows both have", style="dim"))
        return
    t = Table(title=f"Results: {len(d.values)} numbers differ", title_justify="left")
    for name in ("table", "key", "column", d.a, d.b, "b − a"):
        t.add_column(name, justify="right" if name in (d.a, d.b, "b − a") else "left")
    for row in d.values.itertuples(index=False):
        t.add_row(
            str(row.table),
            str(row.key),
            str(row.column),
            _value(_none(row.a)),
            _value(_none(row.b)),
            _value(_none(row.difference)),
        )
    console.print(t)


def _none(x: Any) -> Any:
    return None if x is None or (isinstance(x, float) and x != x) else x


@runs_app.command("delete")
def delete_cmd(
    run: RunRef,
    store: StoreOpt = None,
) -> None:
    """Remove one run from the store (a run that cannot be read too)."""
    with _reading(store, write=True) as opened:
        run_id = opened.delete(run)
    typer.echo(f"deleted run {run_id}")


@runs_app.command("check")
def check_cmd(
    fmt: TableOrJson = OutputFormat.table,
    store: StoreOpt = None,
) -> None:
    """Check the store: SQLite's integrity check, and every run read back. Says which runs
    cannot be read; exit status 0 when all is well, 1 when the store is damaged, 2 when it
    cannot be checked at all."""
    table_or_json(fmt, "runs check")
    with _reading(store) as opened:
        found = opened.check()
    if fmt is OutputFormat.json:
        print_json(found.to_dict())
    else:
        console = new_console()
        if found.integrity is None:
            console.print("integrity: not checked (SQLite's check; the database checks its own)")
        elif found.integrity == ("ok",):
            console.print("integrity: ok (SQLite's PRAGMA integrity_check)")
        else:
            console.print("integrity: damaged (SQLite's PRAGMA integrity_check says:)")
            for line in found.integrity:
                console.print(f"  {line}")
        if found.error is not None:
            console.print(f"runs: cannot be listed: {found.error}")
        else:
            readable = found.runs - len(found.unreadable)
            console.print(f"runs: {readable} of {found.runs} read back whole")
        if found.unreadable:
            t = Table(title="Runs that cannot be read", title_justify="left")
            t.add_column("run", style="bold")
            t.add_column("what is wrong")
            for run_id, why in found.unreadable:
                t.add_row(run_id, why)
            console.print(t)
            console.print(
                "`statecraft runs delete ID` removes such a run; `runs export` saves the others"
            )
    if found.damaged:
        raise typer.Exit(1)
