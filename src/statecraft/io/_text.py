"""Bytes to text, and text to CSV rows, for every reader: what cannot be read is refused
with one message that names the file and the place, never with the codec's or the csv
module's own exception.

- :func:`decode` takes a file's bytes: UTF-8, with or without a byte-order mark. A UTF-16
  or UTF-32 file (its mark says so) and any other encoding (Latin-1, Windows-1252) are
  refused, naming the line and column of the first byte that is not UTF-8.
- :func:`check_text` refuses NUL characters (a binary file, or a UTF-16 file read as
  bytes) and drops a leading byte-order mark, for text that did not come from a file.
- :func:`csv_rows` reads CSV rows with the line each starts on. Python's csv module allows
  a cell at most :data:`MAX_CELL` characters; a longer cell is refused with that number.
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from statecraft.errors import ScenarioError
from statecraft.io._common import MAX_FILE_BYTES

__all__ = ["MAX_CELL", "check_text", "csv_error", "csv_rows", "decode", "position", "text_lines"]

_BREAK = re.compile(r"\r\n|\r|\n")

#: The longest cell a CSV file may hold (the csv module's limit, which is not raised).
MAX_CELL = csv.field_size_limit()

_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def text_lines(text: str) -> list[str]:
    """The lines of the text, split where an editor and the csv module split them (``\\n``,
    ``\\r\\n``, ``\\r``; not at the other characters :meth:`str.splitlines` breaks on), so
    that line numbers count as a person counts them."""
    return _BREAK.split(text)


def position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset in ``text``."""
    before = text_lines(text[:offset])
    return len(before), len(before[-1]) + 1


def decode(raw: bytes, *, file: str | None) -> str:
    """A file's bytes as text: UTF-8 with or without a byte-order mark, no NUL characters."""
    for bom, name in _WIDE_BOMS:
        if raw.startswith(bom):
            raise ScenarioError(
                f"the file is {name} text (it starts with a {name} byte-order mark); "
                "save it as UTF-8",
                file=file,
            )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        good = raw[: exc.start].decode("utf-8-sig", errors="replace")
        line, column = position(good, len(good))
        raise ScenarioError(
            f"the file is not UTF-8 text: byte 0x{raw[exc.start]:02x} at column {column} "
            "cannot start or continue a UTF-8 character (a Latin-1 or Windows file?); "
            "save it as UTF-8",
            file=file,
            line=line,
        ) from None
    return check_text(text, file=file)


def check_text(text: str, *, file: str | None) -> str:
    """The text without a leading byte-order mark; NUL characters are refused."""
    text = text.removeprefix("\ufeff")
    nul = text.find("\x00")
    if nul >= 0:
        line, column = position(text, nul)
        raise ScenarioError(
            f"the text holds a NUL character at column {column} (a binary file, or UTF-16 "
            "text?); a scenario is UTF-8 text",
            file=file,
            line=line,
        )
    return text


def csv_rows(text: str, *, file: str | None, **options: Any) -> Iterator[tuple[int, list[str]]]:
    """The rows of CSV text, each with the line it starts on (blank lines give ``[]``);
    ``options`` go to :func:`csv.reader`. A row that cannot be read is refused with its line."""
    reader = csv.reader(io.StringIO(text, newline=""), **options)
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise csv_error(exc, file=file, line=line) from None
        yield line, row
        line = reader.line_num + 1


def csv_error(exc: csv.Error, *, file: str | None, line: int | None) -> ScenarioError:
    """A csv module error as a :class:`ScenarioError` that says what is allowed."""
    problem = str(exc)
    if "field larger than field limit" in problem:
        problem = f"a cell is longer than {MAX_CELL:,} characters, the most a CSV cell may hold"
    return ScenarioError(f"malformed CSV: {problem}", file=file, line=line)


def read_file(
    path: str | Path, *, what: str = "a scenario file", most: int = MAX_FILE_BYTES
) -> str:
    """A file's text, refused (a :class:`ScenarioError` naming the file) when it is missing,
    larger than ``most`` bytes, unreadable, not UTF-8 or holding NUL characters; ``what``
    names the kind of file in the message on size."""
    path = Path(path)
    label = str(path)
    try:
        if not path.exists():
            raise ScenarioError("no such file", file=label)
        if path.is_dir():
            raise ScenarioError("not a file (a folder)", file=label)
        if not path.is_file():
            raise ScenarioError("not a regular file (a device, a pipe or a socket)", file=label)
        size = path.stat().st_size
        if size > most:
            raise ScenarioError(
                f"the file is {size / 1024 / 1024:.1f} MiB; {what} may be at most "
                f"{most // 1024 // 1024} MiB",
                file=label,
            )
        raw = path.read_bytes()
    except (OSError, ValueError) as exc:  # ValueError: a NUL character in the path
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ScenarioError(f"cannot read the file: {reason}", file=label) from None
    return decode(raw, file=label)


def finite_cell(cell: str, what: str, *, file: str | None, line: int) -> float:
    """A table cell's number, refused unless it is finite."""
    try:
        value = float(cell)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise ScenarioError(
            f"{what}: expected a finite number", file=file, line=line, value=cell, has_value=True
        )
    return value
