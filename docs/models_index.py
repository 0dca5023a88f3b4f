"""The lists of models in docs/index.md and README.md, derived from the registry.

Each registered model gets one line: its name, the title of its page (the first line of
``docs/models/NAME.md``, which reads ``# `NAME`: what it is``) and the lead source of its
``citation``; the linked models are named as such. ``python docs/models_index.py [--write]``
prints both lists, or writes each between the ``<!-- models -->`` markers of its page. A test
checks that the pages hold what this script makes and that every registered model has a
page, so that adding a model edits neither list by hand.

>>> lead_source("Kalai, E. & Smorodinsky, M. (1975). Other solutions. Econometrica.")
('Kalai & Smorodinsky', '1975')
"""

from __future__ import annotations

import argparse
import re
import textwrap
from pathlib import Path

from statecraft import available_models

DOCS = Path(__file__).resolve().parent
PAGES = {"index": DOCS / "index.md", "readme": DOCS.parent / "README.md"}
START, END = "<!-- models -->", "<!-- /models -->"
WIDTH = 96


def page_title(name: str) -> str:
    """What a model is, from the first line of its page: ``# `nash`: the weighted ...``."""
    page = DOCS / "models" / f"{name}.md"
    if not page.exists():
        raise FileNotFoundError(f"the model {name!r} has no page; write {page}")
    first = page.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(rf"# `{re.escape(name)}`: (.+)", first)
    if match is None:
        raise ValueError(f"{page} must begin with '# `{name}`: what it is', not {first!r}")
    return match.group(1)


def lead_source(citation: str) -> tuple[str, str]:
    """The authors (surnames) and year that open a citation."""
    match = re.match(r"(.*?) \((\d{4}[a-z]?)\)", citation)
    if match is None:
        raise ValueError(f"a citation must open with 'Authors (year)': {citation!r}")
    return re.sub(r",(?: [A-Z]\.)+", "", match.group(1)), match.group(2)


def _names(names: list[str]) -> str:
    quoted = [f"`{n}`" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


def index_list() -> str:
    """The list of docs/index.md."""
    lines = []
    linked = []
    for name, cls in available_models().items():
        authors, year = lead_source(cls.citation)
        item = f"- [`{name}`](models/{name}.md) ({authors} {year}): {page_title(name)}."
        lines += textwrap.wrap(item, WIDTH, subsequent_indent="  ", break_on_hyphens=False)
        if cls.links_issues:
            linked.append(name)
    if linked:
        note = (
            f"{_names(linked)} link the issues: they forecast all of them at once and run when "
            f"named (`-m {linked[0]}`). The others forecast the issues one at a time and run "
            "by default wherever they apply."
        )
        lines += ["", *textwrap.wrap(note, WIDTH, break_on_hyphens=False)]
    return "\n".join(lines) + "\n"


def readme_table() -> str:
    """The table of README.md."""
    lines = ["| name | model | source |", "|---|---|---|"]
    for name, cls in available_models().items():
        authors, year = lead_source(cls.citation)
        what = page_title(name)
        if cls.links_issues:
            what += f" (runs when named: `-m {name}`)"
        lines.append(f"| [`{name}`](docs/models/{name}.md) | {what} | {authors} ({year}) |")
    return "\n".join(lines) + "\n"


def blocks() -> dict[str, str]:
    """What each page holds between its markers."""
    return {"index": index_list(), "readme": readme_table()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="update the pages in place")
    args = parser.parse_args()
    for key, text in blocks().items():
        path = PAGES[key]
        if not args.write:
            print(f"{path}:\n{text}")
            continue
        page = path.read_text(encoding="utf-8")
        head, rest = page.split(START, 1)
        _, tail = rest.split(END, 1)
        path.write_text(f"{head}{START}\n{text}{END}{tail}", encoding="utf-8")
        print(f"wrote the list of models into {path}")


if __name__ == "__main__":
    main()
