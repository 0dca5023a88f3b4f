"""Every model's options table, derived from the model's declared options.

Each page of ``docs/models`` holds its model's table between ``<!-- options -->`` and
``<!-- /options -->``; ``python docs/options_tables.py [--write]`` prints (or writes) them,
and a test checks that the pages hold what this script makes, so they cannot go stale.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from statecraft.models import available_models, option_rows

PAGES = Path(__file__).resolve().parent / "models"
START, END = "<!-- options -->", "<!-- /options -->"


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    return f"`{value}`"


def table(name: str) -> str:
    """The Markdown table of one model's options (a sentence for a model without any)."""
    rows = option_rows(available_models()[name].Options)
    if not rows:
        return "The model has no options."
    lines = ["| option | allowed | default | what it does |", "|---|---|---|---|"]
    lines += [
        f"| `{r['option']}` | {r['allowed']} | {_cell(r['default'])} | {r['description']} |"
        for r in rows
    ]
    return "\n".join(lines)


def page(name: str) -> Path:
    """The model's doc page: docs/models/NAME.md."""
    return PAGES / f"{name}.md"


def current(name: str) -> str | None:
    """The table the page holds now, or None when it has no markers."""
    text = page(name).read_text(encoding="utf-8")
    match = re.search(re.escape(START) + r"\n(?:(.*?)\n)?" + re.escape(END), text, re.S)
    return (match.group(1) or "") if match else None


def write(name: str) -> None:
    text = page(name).read_text(encoding="utf-8")
    if current(name) is None:
        raise SystemExit(
            f"{page(name)} has no {START} ... {END} markers: add them where the table goes"
        )
    pattern = re.escape(START) + r"\n(?:.*?\n)?" + re.escape(END)
    new = f"{START}\n{table(name)}\n{END}"
    page(name).write_text(re.sub(pattern, lambda _: new, text, flags=re.S), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the tables into the pages")
    args = parser.parse_args()
    for name in available_models():
        if args.write:
            write(name)
        else:
            print(f"## {name}\n\n{table(name)}\n")


if __name__ == "__main__":
    main()
