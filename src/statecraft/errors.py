"""Errors meant for people: every bad input names the file, the place, the value and the rule."""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Any

__all__ = [
    "MAX_MESSAGE",
    "SEED_MAX",
    "MemoryLimitError",
    "ScenarioError",
    "StatecraftError",
    "check_count",
    "check_seed",
    "format_location",
    "shown",
]

#: The longest message a :class:`ScenarioError` gives: whatever the file holds, its error
#: is one line of bounded length (a cell of a megabyte is shown by its start).
MAX_MESSAGE = 1000

#: The largest seed: the run store keeps a seed as a signed 64-bit integer (SQL's BIGINT).
SEED_MAX = 2**63 - 1


class StatecraftError(Exception):
    """Base class of every error Statecraft raises on purpose."""


class MemoryLimitError(StatecraftError, MemoryError):
    """A computation that would need more memory than it may take, refused before it
    starts; the message gives both figures."""


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
            text = f"a number of {seed.bit_length()} binary digits"
        else:
            text = shown(seed)
        raise ValueError(f"the seed must be a whole number from 0 to {SEED_MAX} (got {text})")
    return value


def check_count(value: Any, what: str) -> int:
    """``value`` if it is a positive whole number (not a bool); else a ValueError naming
    ``what`` (draws, workers)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"{what} must be a positive integer, not {value!r}")
    return value


def shown(value: Any, limit: int = 80) -> str:
    """A value as a message shows it: its ``repr``, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _one_line(text: str) -> str:
    """The text on one line: line breaks and the blanks around them become one space."""
    if "\n" not in text and "\r" not in text:
        return text
    return " ".join(part.strip() for part in text.splitlines() if part.strip())


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
            file = self.file
            if len(file) > 200:  # a path that long is shown by its ends
                file = file[:97] + "..." + file[-100:]
            parts.append(file)
        if self.line is not None:
            parts.append(f"line {self.line}")
        where = ", ".join(parts)
        if self.path:
            field = format_location(self.path)
            where = f"{where} ({field})" if where else field
        return where

    @property
    def message(self) -> str:
        """One line, at most :data:`MAX_MESSAGE` characters: where, what is wrong and what
        is allowed, and the value that was found."""
        text = self.problem
        if self.has_value:
            text = f"{text} (got {shown(self.value)})"
        where = self.location
        message = _one_line(f"{where}: {text}" if where else text)
        return message if len(message) <= MAX_MESSAGE else message[: MAX_MESSAGE - 3] + "..."

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
