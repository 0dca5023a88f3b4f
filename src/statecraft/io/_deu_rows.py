"""The rows of a DEU table: the file's text, its header and rows with their lines, its
numbers and its dates. Used by :mod:`statecraft.io.deu`, whose docstring gives the layout."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

from statecraft.errors import ScenarioError
from statecraft.io._common import MAX_FILE_BYTES
from statecraft.io._text import csv_rows, read_file, text_lines
from statecraft.scenario import ID_PATTERN

__all__ = [
    "ID",
    "ID_RULE",
    "ISO_DATE",
    "MAX_TABLE_BYTES",
    "REQUIRED",
    "date",
    "number",
    "read",
    "swapped_dates",
    "table",
]

REQUIRED = ("prnr", "isnr", "rp", "out")

#: The largest DEU table read (the whole DEU III table is well under a megabyte).
MAX_TABLE_BYTES = 64 * MAX_FILE_BYTES

ID_RULE = (
    "an id starts with a letter or digit and holds only letters, digits, '_', '-' and '.' "
    "(at most 64 characters)"
)
ID = re.compile(ID_PATTERN)

#: A yyyy-mm-dd date (a plain ISO date, or a spreadsheet's mangling of dd-mm-yy).
ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def date(text: str, *, excel_swapped: bool = False) -> dt.date | None:
    """A DEU date: dd-mm-yy (two-digit years from 90 are 19xx, the rest 20xx), dd-mm-yyyy,
    or yyyy-mm-dd. With ``excel_swapped``, yyyy-mm-dd is read as a dd-mm-yy date that a
    spreadsheet turned into a year: its last two digits are the day and dd is the year."""
    text = text.strip()
    iso = ISO_DATE.fullmatch(text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        if excel_swapped:
            year, day = day, year % 100
    else:
        match = re.fullmatch(r"(\d{1,2})-(\d{1,2})-(\d{2}|\d{4})", text)
        if not match:
            return None
        day, month, year = (int(g) for g in match.groups())
    if year < 100:
        year += 1900 if year >= 90 else 2000
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def swapped_dates(texts: Iterable[str]) -> bool:
    """Whether the yyyy-mm-dd dates of a column are spreadsheet-mangled dd-mm-yy ones.

    A spreadsheet that takes "dd-mm-yy" for "yy-mm-dd" turns 14-07-04 into 2014-07-04 and,
    as it reads two-digit years from 30 as 19xx, 30-11-05 into 1930-11-05. A yyyy-mm-dd
    year before 1950, impossible for EU legislation of the DEU era, marks the column; then
    every yyyy-mm-dd date in it is read back.
    """
    years = [int(m.group(1)) for t in texts if (m := ISO_DATE.fullmatch(t.strip()))]
    return any(y < 1950 for y in years)


def number(row: Mapping[str, str], column: str, *, file: str | None, line: int) -> float | None:
    text = (row.get(column) or "").strip()
    if text == "" or text.upper() in ("NA", "."):
        return None
    try:
        value = float(text)
    except ValueError:
        raise ScenarioError(
            f"column {column!r}: expected a number or an empty cell",
            file=file,
            line=line,
            value=text,
            has_value=True,
        ) from None
    if not 0.0 <= value <= 100.0:
        raise ScenarioError(
            f"column {column!r}: DEU values lie on 0-100",
            file=file,
            line=line,
            value=value,
            has_value=True,
        )
    return value


def read(path: Path) -> str:
    """A DEU file's text (UTF-8), refused by size before it is read."""
    return read_file(path, what="a DEU table", most=MAX_TABLE_BYTES)


def table(text: str, label: str) -> tuple[int, list[str], list[tuple[int, dict[str, str]]]]:
    """The header's line, its columns (lower case) and the rows that are not blank, each
    with its line; tab-separated if the header holds more tabs than commas."""
    found = [(line, row) for line, row in _rows(text, label) if row]
    if not found:
        raise ScenarioError("the file is empty: a DEU table needs a header", file=label)
    header_at, header = found[0]
    columns = [c.strip().lower() for c in header]
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise ScenarioError(
            f"not a DEU table: missing column(s) {', '.join(missing)}; the table needs "
            f"{', '.join(REQUIRED)} and p<actor>/s<actor> columns",
            file=label,
            line=header_at,
        )
    rows = [(line, dict(zip(columns, row, strict=False))) for line, row in found[1:]]
    return header_at, columns, rows


def _rows(text: str, label: str) -> list[tuple[int, list[str]]]:
    first = text_lines(text.lstrip("\r\n"))[0]
    delimiter = "\t" if first.count("\t") >= first.count(",") else ","
    return list(csv_rows(text, file=label, delimiter=delimiter))
