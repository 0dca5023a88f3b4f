"""Figures quoted in the README are the figures the code gives now."""

from __future__ import annotations

import re
from pathlib import Path

import statecraft as sc

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_karabakh_errors_are_current() -> None:
    match = re.search(
        r"are ([\d.]+) \(compromise\), ([\d.]+) \(median\), ([\d.]+) \(Nash\) and ([\d.]+)\s+"
        r"\(expected utility\)",
        README,
    )
    assert match, "the README's sentence on the Karabakh errors has changed; update this test"
    f = sc.forecast("karabakh-2020")
    for quoted, model in zip(
        match.groups(), ("compromise", "median", "nash", "expected-utility"), strict=True
    ):
        errors = [
            item.error(model) / f.scenario.issue(item.issue).scale.width * 100 for item in f.issues
        ]
        assert f"{sum(errors) / len(errors):.1f}" == quoted, model


def test_readme_winner_claims_are_current() -> None:
    f = sc.forecast("karabakh-2020")
    assert "make **Russia** the biggest winner" in README
    assert f.winners.ranking[0].actor == "russia"
    assert f.actual_winners is not None
    assert f.actual_winners.ranking[0].actor == "russia"
    assert f.winners.ranking[-1].actor == "artsakh"
    assert f.actual_winners.ranking[-1].actor == "artsakh"
