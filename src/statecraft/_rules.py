"""The value rules of a scenario's fields that pydantic runs after parsing them: saliences
within 0..1, capabilities above 0, names and labels one line of text
(:mod:`statecraft.scenario` annotates its fields with them)."""

from __future__ import annotations

import unicodedata
from typing import Any, Protocol, TypeVar

from pydantic_core import PydanticCustomError


class _Ranged(Protocol):
    """A number with its range (a scenario's Quantity)."""

    @property
    def value(self) -> float: ...
    @property
    def low(self) -> float | None: ...
    @property
    def high(self) -> float | None: ...


Q = TypeVar("Q", bound=_Ranged)

__all__ = ["capability_positive", "one_line", "salience_in_unit", "wrap_number"]


def salience_in_unit(q: Q) -> Q:
    for what, v in (("got", q.value), ("its low is", q.low), ("its high is", q.high)):
        if v is not None and not 0.0 <= v <= 1.0:
            raise PydanticCustomError(
                "salience_range",
                "salience must lie between 0 and 1 ({what} {value}); "
                "rescale 0-100 saliences by dividing by 100",
                {"what": what, "value": v},
            )
    return q


def capability_positive(q: Q) -> Q:
    for what, v in (("got", q.value), ("its low is", q.low)):
        if v is not None and not v > 0.0:
            raise PydanticCustomError(
                "capability_range",
                "capability must be greater than 0 ({what} {value}); "
                "an actor without capability should be left out",
                {"what": what, "value": v},
            )
    return q


def one_line(text: str) -> str:
    """Names, labels and titles are one line of text: no control character (a carriage
    return in a name splits CSV rows and decide records, a tab shifts their columns)."""
    for k, c in enumerate(text):
        if unicodedata.category(c) == "Cc":
            raise PydanticCustomError(
                "control_character",
                "a name or label must be one line of text without control characters "
                "(U+{code} at character {at})",
                {"code": f"{ord(c):04X}", "at": k + 1},
            )
    return text


def wrap_number(data: Any) -> Any:
    """Accept a plain number where a :class:`Quantity` is expected."""
    if isinstance(data, bool):
        raise PydanticCustomError(
            "number_type", "expected a number or a mapping with 'value', not a boolean"
        )
    if isinstance(data, int | float):
        return {"value": data}
    if isinstance(data, str):
        raise PydanticCustomError(
            "number_type",
            "expected a number or a mapping with 'value' (and optional 'source', 'note'), not text",
        )
    return data
