"""MkDocs hooks for the docs site (``mkdocs.yml`` names this file under ``hooks:``).

Two things, both plain text processing: nothing here imports Statecraft or runs an example.

* **The navigation is docs/index.md's.** Every section (``## Title``) of the index that has a
  list of links to pages becomes a section of the site's navigation, with the pages in the
  order the list links them and the link's text as the title. A new page appears on the site
  once the index links it from a list; a page that no list links is left out of the
  navigation, which ``validation: omitted_files: warn`` turns into a failure of
  ``mkdocs build --strict`` naming the page.
* **Lists are read as GitHub reads them.** The pages are written for GitHub, whose Markdown
  (CommonMark) lets a list start right under a paragraph and a new item follow a paragraph or
  a code block inside the previous item. Python-Markdown, which MkDocs uses, needs a blank
  line in those places and otherwise prints the items as one paragraph of text. The
  preprocessor here adds those blank lines, outside code blocks, before the page is read.
  (Nested items indented by two spaces are the ``mdx_truly_sane_lists`` extension's job.)
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
# A bullet item, or an ordered item. An ordered item interrupts a paragraph only when it
# starts a list at 1 (as in CommonMark), so that a wrapped line such as "2020. The war" stays
# text.
_BULLET = re.compile(r"^\s*[-*+]\s+\S")
_ORDERED = re.compile(r"^\s*(\d{1,9})[.)]\s+\S")


def _item(line: str) -> str | None:
    """``"bullet"``, ``"ordered"`` or ``"first"`` (an ordered item numbered 1), else None."""
    if _BULLET.match(line):
        return "bullet"
    match = _ORDERED.match(line)
    if match is None:
        return None
    return "first" if int(match.group(1)) == 1 else "ordered"


def gfm_lists(lines: list[str]) -> list[str]:
    """The lines with a blank line added wherever CommonMark starts a list item that
    Python-Markdown would read as text: right under a paragraph, or after a paragraph or a
    code block within an item. Code blocks are left as they are.

    >>> gfm_lists(["Options:", "- one", "- two", "  wrapped", "- three"])
    ['Options:', '', '- one', '- two', '  wrapped', '- three']
    >>> gfm_lists(["- a", "", "  more of a", "- b"])
    ['- a', '', '  more of a', '', '- b']
    >>> gfm_lists(["- a", "  ```", "  - not an item", "  ```", "- b"])
    ['- a', '  ```', '  - not an item', '  ```', '', '- b']
    >>> gfm_lists(["It ended in", "2020. Then:", "1. first", "2. second"])
    ['It ended in', '2020. Then:', '', '1. first', '2. second']
    >>> gfm_lists(["1. a", "", "   | t |", "   more of a", "2. b", "", "Text", "3. c"])
    ['1. a', '', '   | t |', '   more of a', '', '2. b', '', 'Text', '3. c']
    """
    out: list[str] = []
    fence: str | None = None
    tight = False  # the previous line belongs to a list item that no blank line has broken
    in_list = False  # a list is open: what follows may be a new item of it
    for line in lines:
        if fence is not None:
            out.append(line)
            if line.strip().startswith(fence) and set(line.strip()) == {fence[0]}:
                fence = None
            continue
        previous = out[-1] if out else ""
        opened = _FENCE.match(line)
        kind = _item(line)
        if opened is not None:
            fence = opened.group(1)
            tight = False
        elif kind is not None and (kind != "ordered" or in_list or tight):
            if previous.strip() and not tight:
                out.append("")
            tight = in_list = True
        elif not line.strip() or not previous.strip():
            tight = False
            if line.strip() and not line.startswith(" "):
                in_list = False  # a paragraph after a blank line, outside any item
        out.append(line)
    return out


class _ListsPreprocessor(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return gfm_lists(lines)


class GfmLists(Extension):
    """Python-Markdown extension: :func:`gfm_lists` before the page is parsed."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        # After whitespace is normalised (30), before fenced code is set aside (25).
        md.preprocessors.register(_ListsPreprocessor(md), "gfm_lists", 28)


_SECTION = re.compile(r"^## (.+?)\s*$")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)#\s]+\.md)(?:#[^)]*)?\)")


def _title(text: str) -> str:
    """A link's text as a title: code stays as written, prose starts with a capital."""
    if text.startswith("`") and text.endswith("`"):
        return text.strip("`")
    return text[0].upper() + text[1:]


def nav_from_index(text: str) -> list[Any]:
    """MkDocs' ``nav`` from the index page's text: the index itself, then one section per
    ``## Title`` that lists links to pages, each page once (where it is first listed).

    >>> nav_from_index(
    ...     "# Docs\\n## How-to\\n- [Write a scenario](a.md): and [more](b.md#x).\\n"
    ...     "  [the claims](c/d.md)\\n\\nSee [a](a.md).\\n## Notes\\nNo list.\\n"
    ...     "## Models\\n- [`nash`](m/nash.md)\\n- [again](a.md)\\n"
    ... )
    [{'Home': 'index.md'}, {'How-to': [{'Write a scenario': 'a.md'}, {'More': 'b.md'}, \
{'The claims': 'c/d.md'}]}, {'Models': [{'nash': 'm/nash.md'}]}]
    """
    nav: list[Any] = [{"Home": "index.md"}]
    seen = {"index.md"}
    section: list[Any] | None = None
    in_item = False
    for line in text.splitlines():
        heading = _SECTION.match(line)
        if heading is not None:
            section = []
            nav.append({heading.group(1): section})
            in_item = False
            continue
        if _BULLET.match(line) or _ORDERED.match(line):
            in_item = True
        elif not line.strip() or not line.startswith(" "):
            in_item = False
        if section is None or not in_item:
            continue
        for label, page in _LINK.findall(line):
            if page not in seen and "://" not in page:
                seen.add(page)
                section.append({_title(label): page})
    return [entry for entry in nav if next(iter(entry.values()))]


def on_config(config: Any) -> Any:
    """MkDocs' hook: the list preprocessor, and the navigation read from docs/index.md."""
    config.markdown_extensions.append(GfmLists())
    index = Path(config.docs_dir) / "index.md"
    config.nav = nav_from_index(index.read_text(encoding="utf-8"))
    return config
