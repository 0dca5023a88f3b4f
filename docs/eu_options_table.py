"""The EC emissions forecast of the expected utility model under every combination of options.

Writes the Markdown table that docs/models/expected-utility.md includes between its
``<!-- options-table -->`` markers: ``python docs/eu_options_table.py [--write]``. A test
checks that the page holds the table this script makes, so the page cannot go stale.
"""

from __future__ import annotations

import argparse
import itertools
from pathlib import Path

import statecraft as sc
from statecraft.models.expected_utility import EUOptions, run_rounds

PAGE = Path(__file__).resolve().parent / "models" / "expected-utility.md"
START, END = "<!-- options-table -->", "<!-- /options-table -->"
ACTUAL = 8.833


def table() -> str:
    issue = sc.issue_arrays(sc.load("ec-emissions-1994"), "emissions")
    lines = [
        "| probability | vote_risk | offer_choice | range | rounds=8 | tolerance | discount |",
        "|---|---|---|---|---|---|---|",
    ]
    for probability, vote_risk, choice, span in itertools.product(
        ("triples", "pair"), (True, False), ("scholz", "type", "smallest"), ("initial", "current")
    ):
        cells = []
        for stopping in ("rounds", "tolerance", "discount"):
            o = EUOptions(
                probability=probability,
                vote_risk=vote_risk,
                offer_choice=choice,
                range=span,
                stopping=stopping,
                rounds=8 if stopping == "rounds" else 100,
            )
            out = run_rounds(issue.position, issue.capability, issue.salience, o)
            forecast = float(out["forecast"][0])
            mark = "**" if abs(forecast - ACTUAL) < 1.0 else ""
            rounds = int(out["rounds"][0])
            cells.append(f"{mark}{forecast:.2f}{mark} ({rounds})")
        lines.append(
            f"| {probability} | {str(vote_risk).lower()} | {choice} | {span} | "
            + " | ".join(cells)
            + " |"
        )
    lines += [
        "",
        "With Q < 1 the 'better'/'worse' terms enter (other options at their defaults, 8 rounds):",
        "",
        "| q | t | better_worse | forecast |",
        "|---|---|---|---|",
    ]
    for q, t, better_worse in itertools.product(
        (0.5, 0.0), (1.0, 0.0, "geometric"), ("target", "challenger")
    ):
        o = EUOptions(q=q, t=t, better_worse=better_worse)  # type: ignore[arg-type]
        out = run_rounds(issue.position, issue.capability, issue.salience, o)
        forecast = float(out["forecast"][0])
        mark = "**" if abs(forecast - ACTUAL) < 1.0 else ""
        lines.append(f"| {q} | {t} | {better_worse} | {mark}{forecast:.2f}{mark} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--write", action="store_true", help="update the docs page in place")
    args = parser.parse_args()
    text = table()
    if not args.write:
        print(text)
        return
    page = PAGE.read_text(encoding="utf-8")
    head, rest = page.split(START, 1)
    _, tail = rest.split(END, 1)
    PAGE.write_text(f"{head}{START}\n{text}{END}{tail}", encoding="utf-8")
    print(f"wrote the table into {PAGE}")


if __name__ == "__main__":
    main()
