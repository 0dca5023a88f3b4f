"""What leaves Statecraft as text stays text: strict JSON, CSV cells, chart labels.

Three places where a number or a user's string could be read as something else:

- **JSON.** Python's ``json`` writes NaN and infinities as the bare tokens ``NaN`` and
  ``Infinity``, which are not JSON (RFC 8259, section 6) and which strict parsers refuse.
  :func:`strict_json` turns every number that is not finite into ``null`` and says where and
  why in a top-level ``"nulls"`` list; :func:`dumps` then writes with ``allow_nan=False``.
- **CSV.** A spreadsheet runs a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return as a formula (CSV or formula injection). :func:`csv_cell` neutralises such
  text cells as the OWASP *CSV Injection* page recommends, by a leading single quote; numbers
  are left as they are (a negative number is a number, not a formula).
- **Charts.** Matplotlib reads text between two ``$`` as mathtext: ``$\\foo$`` raises an
  error and ``$100bn to $200bn`` comes out in italics. :func:`plain` escapes every ``$``, so
  that names, labels and titles are drawn as written.

>>> csv_cell("=cmd|' /C calc'!A0")
"'=cmd|' /C calc'!A0"
>>> csv_cell(-1.5), csv_cell("-1.5 is text")
(-1.5, "'-1.5 is text")
>>> plain("$100bn to $200bn")
'\\\\$100bn to \\\\$200bn'
>>> strict_json({"mean": float("nan"), "n": 0})["mean"]
>>> strict_json({"mean": float("nan"), "n": 0})["nulls"][0]["path"]
'/mean'
>>> dumps({"high": float("inf")})[:40]
'{"high": null, "nulls": [{"path": "/high'
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

__all__ = [
    "FORMULA_STARTS",
    "csv_cell",
    "csv_frame",
    "csv_records",
    "dumps",
    "plain",
    "strict_json",
]

#: The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV
#: Injection": equals, plus, minus, at, tab, carriage return).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs: text beginning with one of
    :data:`FORMULA_STARTS` gets a leading single quote; anything else (numbers above all)
    is returned as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_records(records: Any) -> list[dict[Any, Any]]:
    """Flat records (mappings) with every key and text value neutralised (:func:`csv_cell`)."""
    return [{csv_cell(k): csv_cell(v) for k, v in r.items()} for r in records]


def csv_frame(frame: Any) -> Any:
    """A copy of a pandas DataFrame with every text cell and column name neutralised
    (:func:`csv_cell`); numeric columns are left as they are."""
    from pandas.api.types import is_bool_dtype, is_numeric_dtype

    out = frame.copy()
    for column in out.columns:
        kind = out[column].dtype
        if not (is_numeric_dtype(kind) or is_bool_dtype(kind)):  # text (object or string)
            out[column] = out[column].map(csv_cell)
    out.columns = [csv_cell(c) for c in out.columns]
    return out


def plain(text: str) -> str:
    """Text for matplotlib, drawn as written: every ``$`` escaped, so that no part of it is
    read as mathtext."""
    return text.replace("$", r"\$")


def _reason(value: float) -> str:
    if math.isnan(value):
        return "not a number: no value could be computed"
    return "beyond the largest floating-point number (about 1.8e308)"


def _pointer(path: tuple[str, ...]) -> str:
    """A JSON pointer (RFC 6901) to a place in the data."""
    return "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in path)


def _walk(
    data: Any, path: tuple[str, ...], nulls: list[dict[str, str]], why: Mapping[str, str]
) -> Any:
    if isinstance(data, float) and not math.isfinite(data):
        named = next((why[p] for p in reversed(path) if p in why), None)
        reason = named or _reason(data)
        value = "NaN" if math.isnan(data) else "Infinity" if data > 0 else "-Infinity"
        nulls.append({"path": _pointer(path), "value": value, "reason": reason})
        return None
    if isinstance(data, Mapping):
        return {k: _walk(v, (*path, str(k)), nulls, why) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_walk(v, (*path, str(i)), nulls, why) for i, v in enumerate(data)]
    if hasattr(data, "dtype") and hasattr(data, "tolist"):  # NumPy scalars and arrays
        return _walk(data.tolist(), path, nulls, why)
    return data


def strict_json(data: Any, why: Mapping[str, str] | None = None) -> Any:
    """``data`` with every number that is not finite (NaN, infinities) replaced by None, and,
    when there were any and ``data`` is a mapping, a top-level ``"nulls"`` list that gives
    each one's place (a JSON pointer), what it was and why it is null: ``why[key]`` for a
    number under a key named in ``why`` (the nearest such key on its path), else what the
    number was. Data already strict is returned unchanged (as a copy)."""
    nulls: list[dict[str, str]] = []
    out = _walk(data, (), nulls, why or {})
    if nulls and isinstance(out, dict):
        out["nulls"] = [*out.get("nulls", []), *nulls]
    return out


def dumps(data: Any, **kwargs: Any) -> str:
    """Strict JSON text of ``data`` (:func:`strict_json`, then ``allow_nan=False``)."""
    return json.dumps(strict_json(data), allow_nan=False, **kwargs)
