"""Actors, issues and sources named by their ids in the web app's refusals.

A scenario's problem is found at a place in its data (pydantic's location, e.g.
``("actors", 5, "capability")``), and the readers' sentence renders that place as a file's
path (``actors[5].capability: ...``). In the editor the analyst sees actors and issues by
id, not by their order in the file, so the refusal names them so: ``actor iran,
capability: ...``, with ``at`` = ``["actors", "iran", "capability"]`` beside the ``path``
the page uses to find the cell. An index whose item has no id, or an id that is not unique
(a duplicated id is what the problem may be), stays an index.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

__all__ = ["by_id"]

_WORD = {"actors": "actor", "issues": "issue", "sources": "source"}
_PLACE = re.compile(r"\b(actors|issues|sources)\[(\d+)\](\.)?")


def _id_at(data: Any, kind: str, index: int) -> str | None:
    """The id of ``data[kind][index]`` when it has one and no other item of the list has
    it too; else None."""
    items = data.get(kind) if isinstance(data, dict) else None
    if not isinstance(items, list) or not 0 <= index < len(items):
        return None
    ids = [x.get("id") if isinstance(x, dict) else None for x in items]
    found = ids[index]
    if not isinstance(found, str) or not found or Counter(ids)[found] > 1:
        return None
    return found


def by_id(
    message: str, path: list[str | int] | None, data: Any
) -> tuple[str, list[str | int] | None]:
    """The refusal's sentence and place with actors, issues and sources by id: the
    sentence's ``actors[5]`` becomes ``actor iran`` (``actors[5].x`` becomes ``actor iran,
    x``), and the path's index after ``"actors"`` becomes the id. Without the scenario's
    data (or where an index has no unique id) both stay as they were."""

    def named(match: re.Match[str]) -> str:
        kind, index, dot = match.group(1), int(match.group(2)), match.group(3)
        found = _id_at(data, kind, index)
        if found is None:
            return match.group(0)
        return f"{_WORD[kind]} {found}" + (", " if dot else "")

    said = _PLACE.sub(named, message)
    if path is None:
        return said, None
    at: list[str | int] = []
    for k, step in enumerate(path):
        before = path[k - 1] if k else None
        if isinstance(step, int) and before in _WORD and k == 1:
            at.append(_id_at(data, str(before), step) or step)
        else:
            at.append(step)
    return said, at
