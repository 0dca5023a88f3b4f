"""The native scenario format: YAML (safe loading only) or JSON, the same structure in both.

YAML is parsed with PyYAML's ``SafeLoader`` (with YAML 1.2's rules for plain numbers and
booleans), so a file can build only plain data (mappings, lists, strings, numbers), never
Python objects. The node tree is walked once to record the
line of every field, so that a validation error can name the line it comes from.
"""

from __future__ import annotations

import json
import math
import re
import sys
from typing import Any

import yaml

from statecraft.errors import ScenarioError, shown
from statecraft.io._text import position
from statecraft.io._validate import Path, build_scenario
from statecraft.scenario import Scenario

__all__ = ["dumps_json", "dumps_yaml", "parse_json", "parse_yaml"]


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2's core schema for plain scalars.

    PyYAML follows YAML 1.1, in which ``NO`` (Norway's country code) is a boolean, ``1e3`` is
    text, ``010`` is eight and ``1:30`` is ninety. A scenario means none of those: here only
    ``true``/``false`` are booleans, and numbers are read as in JSON.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        """A node's value; one that its tag cannot take (``!!int abc``, ``!!timestamp
        2001-99-99``) is refused with its line, not with the constructor's exception."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, OverflowError):
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            scalar = isinstance(node, yaml.ScalarNode)
            raise ScenarioError(
                f"malformed YAML: not a valid {tag} value",
                line=node.start_mark.line + 1,
                value=node.value if scalar else None,
                has_value=scalar,
            ) from None


_BOOL, _INT, _FLOAT = ("tag:yaml.org,2002:" + t for t in ("bool", "int", "float"))
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(_INT, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    _FLOAT,
    re.compile(
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)


#: What a number too large for a float is told.
_TOO_LARGE = "the number is too large: numbers lie within ±1.8e308"


def _too_large(node: yaml.Node) -> ScenarioError:
    return ScenarioError(
        _TOO_LARGE, line=node.start_mark.line + 1, value=str(node.value), has_value=True
    )


def _construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    assert isinstance(node, yaml.ScalarNode)
    text = loader.construct_scalar(node)
    if len(text.lstrip("+-0")) > 309 or abs(value := int(text, 10)) > sys.float_info.max:
        raise _too_large(node)  # the length first: Python refuses ints of 4,300 digits
    return value


def _construct_float(loader: yaml.SafeLoader, node: yaml.Node) -> float:
    assert isinstance(node, yaml.ScalarNode)
    value = yaml.SafeLoader.construct_yaml_float(loader, node)
    text = str(node.value).lower()
    if math.isinf(value) and "inf" not in text:  # 1e999: not a written .inf
        raise _too_large(node)
    return value


def _construct_bool(loader: yaml.SafeLoader, node: yaml.Node) -> bool:
    assert isinstance(node, yaml.ScalarNode)
    return loader.construct_scalar(node).lower() == "true"


_Loader.add_constructor(_INT, _construct_int)
_Loader.add_constructor(_BOOL, _construct_bool)
_Loader.add_constructor(_FLOAT, _construct_float)


#: Nodes a scenario file may hold. A real scenario has a few thousand; the cap stops
#: alias-expansion attacks ("billion laughs") before they expand.
MAX_NODES = 200_000
#: How deep a scenario file may nest. A scenario nests six levels at most
#: (``actors[0].stances.x.position.value``); an alias inside the node it names (``&a [*a]``)
#: would nest without end.
MAX_DEPTH = 64


def _line_map(root: yaml.Node, file: str | None) -> dict[Path, int]:
    lines: dict[Path, int] = {}
    count = 0
    stack: list[tuple[Path, yaml.Node]] = [((), root)]
    while stack:
        path, node = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ScenarioError(
                f"the YAML expands to more than {MAX_NODES:,} values, too many for a scenario "
                "(are anchors and aliases nested?)",
                file=file,
            )
        if len(path) > MAX_DEPTH:
            raise ScenarioError(
                f"the YAML nests more than {MAX_DEPTH} levels deep, too deep for a scenario "
                "(is an alias inside the anchor it names?)",
                file=file,
                line=node.start_mark.line + 1,
            )
        lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key_node, value_node in node.value:
                key = str(key_node.value)
                if key in seen:
                    raise ScenarioError(
                        f"duplicate key {key!r} (first on line {seen[key]})",
                        file=file,
                        line=key_node.start_mark.line + 1,
                    )
                seen[key] = key_node.start_mark.line + 1
                stack.append(((*path, key), value_node))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                stack.append(((*path, i), item))
    return lines


def load_yaml_data(text: str, *, file: str | None = None) -> tuple[Any, dict[Path, int]]:
    """YAML text as plain data with the line of every value (safe loader, a cap on aliases);
    the first step of :func:`parse_yaml`."""
    try:
        loader = _Loader(text)
        try:
            root = loader.get_single_node()
            lines = _line_map(root, file) if root is not None else {}
            data = loader.construct_document(root) if root is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "cannot be parsed"
        raise ScenarioError(
            f"malformed YAML: {problem}",
            file=file,
            line=None if mark is None else mark.line + 1,
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line, column = position(text, exc.position)
        raise ScenarioError(
            f"malformed YAML: the character {chr(exc.character)!r} at column {column} is not "
            "allowed in YAML (control characters are not)",
            file=file,
            line=line,
        ) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(f"malformed YAML: {exc}", file=file) from None
    except ScenarioError as exc:  # a number too large, from the constructors
        raise exc.with_context(file=file) from None
    except RecursionError:
        raise _too_deep(file) from None
    return data, lines


def parse_yaml(text: str, *, file: str | None = None) -> Scenario:
    """Read a scenario from YAML text (safe loader; errors name the line)."""
    data, lines = load_yaml_data(text, file=file)
    return build_scenario(data, file=file, lines=lines)


def _too_deep(file: str | None) -> ScenarioError:
    return ScenarioError("the file nests lists or mappings too deeply to be a scenario", file=file)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {shown(key)} in a JSON object")
        out[key] = value
    return out


class _Refused(float):
    """A JSON number that is no scenario's: NaN or Infinity (not JSON, though Python's json
    reads them), or a number beyond the range of a float. Kept as it was written, found by
    :func:`_first_refused` with its path once the text is parsed."""

    written: str
    problem: str


def _refused(written: str, problem: str) -> _Refused:
    out = _Refused("nan")
    out.written, out.problem = written, problem
    return out


def _constant(written: str) -> float:
    return _refused(written, "NaN and Infinity are not JSON numbers; give a finite number")


def _float(written: str) -> float:
    value = float(written)
    return _refused(written, _TOO_LARGE) if math.isinf(value) else value


def _int(written: str) -> int | float:
    if len(written.lstrip("-0")) > 309 or abs(value := int(written)) > sys.float_info.max:
        return _refused(written, _TOO_LARGE)  # the length first: ints of 4,300 digits fail
    return value


def _first_refused(data: Any) -> tuple[Path, _Refused] | None:
    """The first refused number in the data, with its path (walked without recursion)."""
    stack: list[tuple[Path, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, _Refused):
            return path, value
        if isinstance(value, dict):
            stack.extend(((*path, k), v) for k, v in reversed(value.items()))
        elif isinstance(value, list):
            stack.extend(((*path, i), v) for i, v in reversed(list(enumerate(value))))
    return None


def parse_json(text: str, *, file: str | None = None) -> Scenario:
    """Read a scenario from JSON text (errors name the field path).

    Strict JSON: NaN and Infinity (which Python's json module reads) are refused, as are
    numbers beyond the range of a float and keys given twice in one object.
    """
    try:
        data = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_constant,
            parse_float=_float,
            parse_int=_int,
        )
    except json.JSONDecodeError as exc:
        raise ScenarioError(
            f"malformed JSON: {exc.msg} (column {exc.colno})", file=file, line=exc.lineno
        ) from None
    except ValueError as exc:
        raise ScenarioError(f"malformed JSON: {exc}", file=file) from None
    except RecursionError:
        raise _too_deep(file) from None
    refused = _first_refused(data)
    if refused is not None:
        path, number = refused
        raise ScenarioError(
            number.problem, file=file, path=path, value=number.written, has_value=True
        )
    return build_scenario(data, file=file)


def dumps_yaml(scenario: Scenario) -> str:
    """The scenario as YAML text that :func:`parse_yaml` reads back to an equal scenario."""
    return yaml.safe_dump(
        scenario.to_data(), sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )


def dumps_json(scenario: Scenario) -> str:
    """The scenario as JSON text that :func:`parse_json` reads back to an equal scenario."""
    return json.dumps(scenario.to_data(), indent=2, ensure_ascii=False) + "\n"
