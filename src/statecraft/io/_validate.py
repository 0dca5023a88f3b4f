"""Turn parsed data into a :class:`Scenario`, and pydantic's errors into one clear message."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from statecraft.errors import ScenarioError
from statecraft.scenario import Scenario

Path = tuple[str | int, ...]
LineMap = Mapping[Path, int]

_ID_RULE = (
    "an id starts with a letter or digit and holds only letters, digits, '_', '-' and '.' "
    "(at most 64 characters)"
)


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Annotated and step into tuple/Mapping element types."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0] if len(args) == 1 else None
        else:
            break
    return annotation


def _element(annotation: Any) -> Any:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is tuple and args:
        return _unwrap(args[0])
    if origin in (Mapping, dict, typing.Mapping) or (
        isinstance(origin, type) and issubclass(origin, Mapping)
    ):
        return _unwrap(args[1])
    return annotation


def _model_for(path: Sequence[str | int]) -> type[BaseModel] | None:
    """Walk field annotations from :class:`Scenario` down ``path``."""
    current: Any = Scenario
    for part in path:
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(part, str) or part not in current.model_fields:
                return None
            current = _unwrap(current.model_fields[part].annotation)
        else:
            current = _element(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _clean_loc(loc: Sequence[str | int]) -> Path:
    """Drop pydantic's internal segments (validator names, '[key]') from a location."""
    return tuple(
        p
        for p in loc
        if isinstance(p, int) or not (str(p).startswith("function-") or str(p) == "[key]")
    )


def _describe(err: ErrorDetails, path: Path) -> tuple[str, Any, bool]:
    """(problem, value, has_value) for one pydantic error."""
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        field = str(path[-1]) if path else "?"
        model = _model_for(path[:-1])
        allowed = sorted(model.model_fields) if model else []
        hint = difflib.get_close_matches(field, allowed, n=1)
        text = f"unknown field {field!r}"
        if hint:
            text += f" (did you mean {hint[0]!r}?)"
        if allowed:
            text += f"; allowed here: {', '.join(allowed)}"
        return text, None, False
    if kind == "missing":
        field = str(path[-1]) if path else "?"
        return f"missing required field {field!r}", None, False
    if kind == "finite_number":
        return "must be a finite number, not NaN or infinity", value, True
    if kind in ("float_type", "float_parsing", "int_type", "number_type"):
        return "expected a number", value, True
    if kind in ("string_type",):
        return "expected text", value, True
    if kind == "string_pattern_mismatch":
        return _ID_RULE, value, True
    if kind == "string_too_short":
        return "must not be empty", value, True
    if kind in ("tuple_type", "list_type"):
        return "expected a list", value, True
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return "expected a mapping (key: value pairs)", value, True
    if kind in (
        "salience_range",
        "capability_range",
        "scale_order",
        "range_incomplete",
        "range_missing",
        "range_order",
    ):
        return err["msg"], None, False
    if "value" in ctx and "loc" in ctx:
        has = ctx["value"] is not None
        return err["msg"], ctx["value"], has
    return err["msg"], value, True


def error_from_validation(
    exc: ValidationError, *, file: str | None, lines: LineMap
) -> ScenarioError:
    """The first problem in a pydantic :class:`ValidationError`, as a :class:`ScenarioError`."""
    err = exc.errors(include_url=False)[0]
    ctx = err.get("ctx") or {}
    path: Path = tuple(ctx["path"]) if "path" in ctx else _clean_loc(err["loc"])
    problem, value, has_value = _describe(err, path)
    return ScenarioError(
        problem,
        file=file,
        line=line_of(path, lines),
        path=path,
        value=value,
        has_value=has_value,
    )


def line_of(path: Path, lines: LineMap) -> int | None:
    """The line of the longest prefix of ``path`` that the reader recorded."""
    for end in range(len(path), -1, -1):
        line = lines.get(path[:end])
        if line is not None:
            return line
    return None


def build_scenario(data: Any, *, file: str | None, lines: LineMap | None = None) -> Scenario:
    """Validate parsed data into a :class:`Scenario`; raise :class:`ScenarioError` if bad."""
    lines = lines or {}
    if data is None or (isinstance(data, Mapping | list) and not data):
        raise ScenarioError(
            "the scenario is empty: it needs a name, issues and actors", file=file, line=1
        )
    if not isinstance(data, Mapping):
        raise ScenarioError(
            "a scenario must be a mapping with the keys name, issues and actors",
            file=file,
            line=1,
            value=data,
            has_value=True,
        )
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise error_from_validation(exc, file=file, lines=lines) from None
