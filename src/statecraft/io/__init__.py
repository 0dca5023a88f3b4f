"""Reading and writing scenarios: the native YAML/JSON format, the flat CSV table, KTAB's
CSV format and the decide exchange model's input format.

:func:`load` takes a built-in scenario's name or a path; :func:`read_text` parses text in a
named format; :func:`dumps` and :func:`save` write; :func:`losses` says what a format cannot
hold of a scenario. Files are refused by size before they are parsed
(:data:`MAX_FILE_BYTES`). :func:`read_deu` reads a DEU table (:mod:`statecraft.io.deu`).

Other packages import from here, never from the private modules: :func:`build_scenario`
(parsed data to a :class:`~statecraft.scenario.Scenario`, with one clear message for bad
data), :func:`error_from_validation` (that message, for a pydantic error) and
:func:`actor_data` (an actor as scenario data from its stances), :func:`read_file` (a file's
text, refused cleanly) and :func:`load_yaml_data` (YAML as plain data with its lines).
"""

from __future__ import annotations

import functools
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

from statecraft.errors import ScenarioError
from statecraft.io._common import MAX_FILE_BYTES, actor_data
from statecraft.io._text import check_text, decode, read_file
from statecraft.io._validate import build_scenario, error_from_validation
from statecraft.io.decide import decide_losses, dumps_decide, is_decide, parse_decide
from statecraft.io.ktab import dumps_ktab, is_ktab, ktab_losses, parse_ktab
from statecraft.io.native import dumps_json, dumps_yaml, load_yaml_data, parse_json, parse_yaml
from statecraft.io.table import csv_losses, dumps_csv, parse_csv
from statecraft.scenario import Scenario

__all__ = [
    "MAX_FILE_BYTES",
    "SUFFIXES",
    "Format",
    "actor_data",
    "build_scenario",
    "builtin_names",
    "decode",
    "detect_format",
    "dumps",
    "error_from_validation",
    "load",
    "load_builtin",
    "load_yaml_data",
    "losses",
    "read_deu",
    "read_file",
    "read_text",
    "save",
]


class Format(StrEnum):
    """The file formats Statecraft reads and writes."""

    YAML = "yaml"
    JSON = "json"
    CSV = "csv"  # Statecraft's flat table
    KTAB = "ktab"  # KTAB's CSV (spatial model of politics)
    DECIDE = "decide"  # the decide exchange model's input


#: The formats that a file's suffix names (KTAB's and decide's files are told by content).
SUFFIXES = {".yaml": Format.YAML, ".yml": Format.YAML, ".json": Format.JSON, ".csv": Format.CSV}


def detect_format(path: str | Path, text: str | None = None) -> Format:
    """The format of a file: KTAB's and decide's from their content (their files end in
    ``.csv`` or ``.txt``), else from the suffix, else from the first characters."""
    if text is not None and is_decide(text):
        return Format.DECIDE
    if text is not None and is_ktab(text):
        return Format.KTAB
    suffix = Path(path).suffix.lower()
    if suffix in SUFFIXES:
        return SUFFIXES[suffix]
    head = (text or "").lstrip()
    if head.startswith(("{", "[")):
        return Format.JSON
    first = head.splitlines()[0].lower() if head else ""
    if "," in first and "actor" in first and ":" not in first:
        return Format.CSV
    return Format.YAML


def read_text(
    text: str, fmt: Format | str, *, file: str | None = None, name: str = "scenario"
) -> Scenario:
    """Parse scenario text in a given format. ``name`` names a CSV table's scenario."""
    fmt = _format(fmt)
    text = check_text(text, file=file)
    try:
        if fmt is Format.YAML:
            return parse_yaml(text, file=file)
        if fmt is Format.JSON:
            return parse_json(text, file=file)
        if fmt is Format.KTAB:
            return parse_ktab(text, file=file)
        if fmt is Format.DECIDE:
            return parse_decide(text, file=file, name=name)
        return parse_csv(text, file=file, name=name)
    except RecursionError:
        raise ScenarioError(
            "the file nests lists or mappings too deeply to be a scenario", file=file
        ) from None


def _format(fmt: Format | str) -> Format:
    try:
        return Format(fmt)
    except ValueError:
        allowed = ", ".join(f.value for f in Format)
        raise ScenarioError(f"unknown format {fmt!r}; the formats are: {allowed}") from None


def _exists(path: Path) -> bool:
    """Whether the path exists; a name the system cannot look up (too long, a NUL) does not."""
    try:
        return path.exists()
    except (OSError, ValueError):
        return False


def builtin_names() -> tuple[str, ...]:
    """The names of the built-in scenarios, sorted."""
    folder = resources.files("statecraft.scenarios")
    return tuple(
        sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))
    )


@functools.cache
def load_builtin(name: str) -> Scenario:
    """A built-in scenario by name, from the package only (never a file of that name).

    Read once per process: built-ins do not change, and a scenario is immutable."""
    if name not in builtin_names():
        raise ScenarioError(
            "no such built-in scenario; the built-ins are: " + ", ".join(builtin_names()),
            file=name,
        )
    text = resources.files("statecraft.scenarios").joinpath(f"{name}.yaml").read_text("utf-8")
    return parse_yaml(text, file=f"{name} (built-in)")


def load(source: str | Path, *, fmt: Format | str | None = None) -> Scenario:
    """A scenario from a built-in name (see :func:`builtin_names`) or a file path.

    A path that exists wins over a built-in of the same name. The format comes from ``fmt``,
    else the suffix, else the content. Raises :class:`~statecraft.errors.ScenarioError`.

    >>> load("ec-emissions-1994").issues[0].scale.unit
    'years'
    """
    path = Path(source)
    if fmt is not None:
        fmt = _format(fmt)
    exists = _exists(path)
    if isinstance(source, str) and not exists and source in builtin_names():
        return load_builtin(source)
    if not exists and isinstance(source, str) and path.suffix == "":
        raise ScenarioError(
            "no such file, nor a built-in scenario; the built-ins are: "
            + ", ".join(builtin_names()),
            file=str(source),
        )
    text = read_file(path)
    chosen = fmt if fmt is not None else detect_format(path, text)
    return read_text(text, chosen, file=str(path), name=path.stem)


def dumps(scenario: Scenario, fmt: Format | str = Format.YAML) -> str:
    """The scenario as text in a format. Reading YAML or JSON back gives an equal scenario;
    the other formats cannot hold everything: :func:`losses` says what they lose.
    """
    fmt = _format(fmt)
    if fmt is Format.YAML:
        return dumps_yaml(scenario)
    if fmt is Format.JSON:
        return dumps_json(scenario)
    if fmt is Format.KTAB:
        return dumps_ktab(scenario)
    if fmt is Format.DECIDE:
        return dumps_decide(scenario)
    return dumps_csv(scenario)


def losses(scenario: Scenario, fmt: Format | str) -> list[str]:
    """What writing the scenario in a format would lose or change, one line each; empty
    when the format holds all of it (YAML and JSON always do).

    >>> losses(load("ec-emissions-1994"), "yaml")
    []
    >>> losses(load("ec-emissions-1994"), "decide")[0]
    "the scenario's title and description (the file's name names it)"
    """
    fmt = _format(fmt)
    if fmt in (Format.YAML, Format.JSON):
        return []
    if fmt is Format.KTAB:
        return ktab_losses(scenario)
    if fmt is Format.DECIDE:
        return decide_losses(scenario)
    return csv_losses(scenario)


def save(scenario: Scenario, path: str | Path, *, fmt: Format | str | None = None) -> Path:
    """Write the scenario to a file, in the format its suffix names unless ``fmt`` is given."""
    path = Path(path)
    chosen = _format(fmt) if fmt is not None else SUFFIXES.get(path.suffix.lower(), Format.YAML)
    path.write_text(dumps(scenario, chosen), encoding="utf-8")
    return path


def __getattr__(name: str) -> Any:
    """``read_deu`` (the DEU table reader, :mod:`statecraft.io.deu`), imported on first use,
    so that ``import statecraft`` does not load the DEU reader and the EU Council's tables."""
    if name == "read_deu":
        from statecraft.io.deu import read_deu

        return read_deu
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
