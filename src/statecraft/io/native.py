"""The native scenario format: YAML (safe loading only) or JSON, the same structure in both.

YAML is parsed with PyYAML's ``SafeLoader`` (with YAML 1.2's rules for plain numbers and
booleans), so a file can build only plain data (mappings, lists, strings, numbers), never
Python objects. The node tree is walked once to record the
line of every field, so that a validation error can name the line it comes from.
"""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from statecraft.errors import ScenarioError
from statecraft.io._validate import Path, build_scenario
from statecraft.scenario import Scenario

__all__ = ["dumps_json", "dumps_yaml", "parse_json", "parse_yaml"]


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader with YAML 1.2's core schema for plain scalars.

    PyYAML follows YAML 1.1, in which ``NO`` (Norway's country code) is a boolean, ``1e3`` is
    text, ``010`` is eight and ``1:30`` is ninety. A scenario means none of those: here only
    ``true``/``false`` are booleans, and numbers are read as in JSON.
    """


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


def _construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    assert isinstance(node, yaml.ScalarNode)
    return int(loader.construct_scalar(node), 10)


def _construct_bool(loader: yaml.SafeLoader, node: yaml.Node) -> bool:
    assert isinstance(node, yaml.ScalarNode)
    return loader.construct_scalar(node).lower() == "true"


_Loader.add_constructor(_INT, _construct_int)
_Loader.add_constructor(_BOOL, _construct_bool)


#: Nodes a scenario file may hold. A real scenario has a few thousand; the cap stops
#: alias-expansion attacks ("billion laughs") before they expand.
MAX_NODES = 200_000


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
    except yaml.YAMLError as exc:
        raise ScenarioError(f"malformed YAML: {exc}", file=file) from None
    return data, lines


def parse_yaml(text: str, *, file: str | None = None) -> Scenario:
    """Read a scenario from YAML text (safe loader; errors name the line)."""
    data, lines = load_yaml_data(text, file=file)
    return build_scenario(data, file=file, lines=lines)


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key!r} in a JSON object")
        out[key] = value
    return out


def parse_json(text: str, *, file: str | None = None) -> Scenario:
    """Read a scenario from JSON text (errors name the field path)."""
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise ScenarioError(f"malformed JSON: {exc.msg}", file=file, line=exc.lineno) from None
    except ValueError as exc:
        problem = str(exc)
        if "digits" in problem:  # Python's limit on the length of integers
            problem = "a number has too many digits"
        raise ScenarioError(f"malformed JSON: {problem}", file=file) from None
    return build_scenario(data, file=file)


def dumps_yaml(scenario: Scenario) -> str:
    """The scenario as YAML text that :func:`parse_yaml` reads back to an equal scenario."""
    return yaml.safe_dump(
        scenario.to_data(), sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )


def dumps_json(scenario: Scenario) -> str:
    """The scenario as JSON text that :func:`parse_json` reads back to an equal scenario."""
    return json.dumps(scenario.to_data(), indent=2, ensure_ascii=False) + "\n"
