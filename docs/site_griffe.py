"""A griffe extension for the API reference (``mkdocs.yml`` loads it for mkdocstrings).

Statecraft documents a module's constants as Sphinx does, with ``#:`` comments on the lines
just above the assignment::

    #: The largest seed: the run store keeps a seed as a signed 64-bit integer.
    SEED_MAX = 2**63 - 1

griffe, which reads the source for mkdocstrings without importing it, takes only a string
under the assignment as an attribute's docstring. This extension gives an attribute without
one the text of its ``#:`` comments, read from the same source lines. And it writes the
Sphinx roles of the docstrings (``:func:`load```, ``:class:`~statecraft.Scenario```) as the
code they name, which Markdown shows as code, rather than as a role's text; and it fences
their doctests (``>>>`` up to the next blank line) as Python sessions, which Markdown would
otherwise run into one paragraph.
"""

from __future__ import annotations

import re
from typing import Any

import griffe


def comment_docstring(lines: list[str], lineno: int) -> str | None:
    """The text of the ``#:`` comment lines right above line ``lineno`` (1-based), if any.

    >>> comment_docstring(["x = 1", "#: The largest", "#: seed.", "SEED = 9"], 4)
    'The largest\\nseed.'
    >>> comment_docstring(["# a plain comment", "SEED = 9"], 2) is None
    True
    """
    found: list[str] = []
    index = lineno - 2
    while index >= 0 and lines[index].lstrip().startswith("#:"):
        found.insert(0, lines[index].lstrip()[2:].strip())
        index -= 1
    return "\n".join(found) or None


_ROLE = re.compile(r":(?:py:)?(?:func|class|meth|mod|attr|data|exc|obj|const):`(~?)([^`]+)`")


def without_roles(text: str) -> str:
    """Sphinx roles written as code; ``~`` keeps the last part of the name, as Sphinx does.

    >>> without_roles("Read with :func:`statecraft.load`, see :class:`~statecraft.Scenario`.")
    'Read with `statecraft.load`, see `Scenario`.'
    """
    return _ROLE.sub(
        lambda m: f"`{m.group(2).rsplit('.', 1)[-1] if m.group(1) else m.group(2)}`", text
    )


def fenced_doctests(text: str) -> str:
    """Each doctest (a run of lines from ``>>>`` to a blank line) fenced as a ``pycon`` block.

    >>> fenced_doctests("Load it:\\n\\n>>> x = [1]\\n>>> x[0]\\n1\\n\\nDone.")
    'Load it:\\n\\n```pycon\\n>>> x = [1]\\n>>> x[0]\\n1\\n```\\n\\nDone.'
    """
    out: list[str] = []
    fenced = False  # inside a fence of the docstring's own
    in_test: str | None = None  # the indentation of the doctest being fenced
    for line in text.split("\n"):
        stripped = line.lstrip()
        if in_test is not None and not stripped:
            out.append(f"{in_test}```")
            in_test = None
        elif in_test is None and not fenced and stripped.startswith(">>>"):
            in_test = line[: len(line) - len(stripped)]
            out.append(f"{in_test}```pycon")
        elif in_test is None and stripped.startswith(("```", "~~~")):
            fenced = not fenced
        out.append(line)
    if in_test is not None:
        out.append(f"{in_test}```")
    return "\n".join(out)


class CommentDocstrings(griffe.Extension):
    """Attributes documented by ``#:`` comments get those comments as their docstring, and
    every docstring's Sphinx roles are written as code and its doctests fenced."""

    def on_attribute_instance(self, *, attr: griffe.Attribute, **kwargs: Any) -> None:
        if attr.docstring is not None or attr.lineno is None:
            return
        lines = attr.lines_collection[attr.filepath]  # type: ignore[index]
        text = comment_docstring(lines, attr.lineno)
        if text is not None:
            attr.docstring = griffe.Docstring(text, lineno=attr.lineno, parent=attr)

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fenced_doctests(without_roles(obj.docstring.value))
