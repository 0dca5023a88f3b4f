"""Errors meant for people: every bad input names the file, the place, the value and the rule."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

__all__ = ["SEED_MAX", "ScenarioError", "StatecraftError", "check_seed", "format_location"]

#: The largest seed: the run store keeps a seed as a signed 64-bit integer (SQL's BIGINT).
SEED_MAX = 2**63 - 1


class StatecraftError(Exception):
    """Base class of every error Statecraft raises on purpose."""


def format_location(path: Sequence[str | int]) -> str:
    """Render a field path as it reads in a scenario file: ``actors[2].stances.territory``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


def check_seed(seed: Any) -> int:
    """The seed as an int, if it is a whole number from 0 to :data:`SEED_MAX`; else a
    ValueError that says so. Every function and command that takes a seed calls it, so that
    a seed is refused where it is given, never taken and then not recorded."""
    try:
        value = None if isinstance(seed, bool) else operator.index(seed)
    except TypeError:
        value = None
    if value is None or not 0 <= value <= SEED_MAX:
        if isinstance(seed, int) and seed.bit_length() > 200:
            shown = f"a number of {seed.bit_length()} binary digits"
        else:
            shown = _show(seed)
        raise ValueError(f"the seed must be a whole number from 0 to {SEED_MAX} (got {shown})")
    return value


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


class ScenarioError(StatecraftError):
    """A scenario that cannot be read or does not validate.

    Attributes hold the pieces so that callers (the CLI, the web app) can show them their own
    way: ``file`` (path or name, may be None), ``line`` (1-based, when known), ``path`` (field
    path as a tuple), ``value`` (the bad value, when there is one) and ``problem`` (what is wrong
    and what is allowed).
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        line: int | None = None,
        path: Sequence[str | int] = (),
        value: Any = None,
        has_value: bool = False,
    ) -> None:
        self.problem = problem
        self.file = file
        self.line = line
        self.path = tuple(path)
        self.value = value
        self.has_value = has_value
        super().__init__(self.message)

    @property
    def location(self) -> str:
        """File, line and field path, as far as they are known."""
        parts = []
        if self.file:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        where = ", ".join(parts)
        if self.path:
            field = format_location(self.path)
            where = f"{where} ({field})" if where else field
        return where

    @property
    def message(self) -> str:
        text = self.problem
        if self.has_value:
            text = f"{text} (got {_show(self.value)})"
        where = self.location
        return f"{where}: {text}" if where else text

    def with_context(self, *, file: str | None = None, line: int | None = None) -> ScenarioError:
        """A copy that also names the file and line (kept if already set)."""
        return ScenarioError(
            self.problem,
            file=self.file or file,
            line=self.line if self.line is not None else line,
            path=self.path,
            value=self.value,
            has_value=self.has_value,
        )
