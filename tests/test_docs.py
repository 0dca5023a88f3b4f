"""Figures quoted in the README are the figures the code gives now."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest

import statecraft as sc

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_readme_karabakh_errors_are_current() -> None:
    match = re.search(
        r"are ([\d.]+) \(compromise\), ([\d.]+) \(median\), ([\d.]+) \(Nash\), ([\d.]+)\s+"
        r"\(Kalai-Smorodinsky\) and ([\d.]+)\s+\(expected utility\)",
        README,
    )
    assert match, "the README's sentence on the Karabakh errors has changed; update this test"
    f = sc.forecast("karabakh-2020")
    for quoted, model in zip(
        match.groups(),
        ("compromise", "median", "nash", "kalai-smorodinsky", "expected-utility"),
        strict=True,
    ):
        errors = [
            item.error(model) / f.scenario.issue(item.issue).scale.width * 100 for item in f.issues
        ]
        assert f"{sum(errors) / len(errors):.1f}" == quoted, model


def test_readme_winner_claims_are_current() -> None:
    f = sc.forecast("karabakh-2020")
    text = " ".join(README.split())
    match = re.search(
        r"compromise forecast makes \*\*(\w+)\*\* the biggest winner, a hair ahead of (\w+) "
        r"\(\+([\d.]+) against \+([\d.]+)\), the real settlement makes \*\*(\w+)\*\* the "
        r"biggest winner by an even finer margin \(\+([\d.]+) against \+([\d.]+)\)",
        text,
    )
    assert match, "the README's sentence on the Karabakh winners has changed; update this test"
    first, second, g1, g2, actual_first, a1, a2 = match.groups()
    ranking = f.winners.ranking
    assert (ranking[0].name, ranking[1].name) == (first, second)
    assert (f"{ranking[0].gain:.3f}", f"{ranking[1].gain:.3f}") == (g1, g2)
    assert f.actual_winners is not None
    actual = f.actual_winners.ranking
    assert actual[0].name == actual_first
    assert (f"{actual[0].gain:.3f}", f"{actual[1].gain:.3f}") == (a1, a2)
    assert f.winners.ranking[-1].actor == "armenia"
    assert f.actual_winners.ranking[-1].actor == "armenia"


def test_codebook_simulation_figures_are_current() -> None:
    codebook = Path(__file__).resolve().parents[1] / "docs" / "scenarios" / "karabakh-2020.md"
    text = " ".join(codebook.read_text(encoding="utf-8").split())
    quoted = re.findall(r"(\d+\.\d) \((\d+\.\d)–(\d+\.\d)\)", text.split("What the ranges give")[1])
    result = sc.simulate(sc.load("karabakh-2020"), "compromise", draws=20_000, seed=0)
    issues = [s for s in result.issues if s.model == "compromise"]
    assert len(quoted) >= len(issues)
    for (mean, lo, hi), summary in zip(quoted, issues, strict=False):
        assert f"{summary.mean:.1f}" == mean, summary.issue
        assert f"{summary.interval80[0]:.1f}" == lo, summary.issue
        assert f"{summary.interval80[1]:.1f}" == hi, summary.issue


def test_readme_winner_probabilities_are_current() -> None:
    text = " ".join(README.split())
    match = re.search(
        r"Turkey is the biggest winner \(compromise model\) in (\d+)% of 20,000 draws "
        r"\(seed 0\) and Azerbaijan in (\d+)%",
        text,
    )
    assert match
    result = sc.simulate(sc.load("karabakh-2020"), "compromise", draws=20_000, seed=0)
    best = result.biggest_winner["compromise"]
    assert f"{best['turkey']:.0%}" == f"{match.group(1)}%"
    assert f"{best['azerbaijan']:.0%}" == f"{match.group(2)}%"
    assert max(best, key=lambda actor: best[actor]) == "turkey"


def _docs_script(name: str) -> Any:
    path = Path(__file__).resolve().parents[1] / "docs" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_model_lists_are_made_from_the_registry() -> None:
    index = _docs_script("models_index")
    for key, text in index.blocks().items():
        page = index.PAGES[key].read_text(encoding="utf-8")
        assert f"{index.START}\n{text}{index.END}" in page, (
            f"{index.PAGES[key]} is stale: run `python docs/models_index.py --write`"
        )


def test_every_registered_model_has_a_page_and_every_page_a_model() -> None:
    index = _docs_script("models_index")
    pages = {p.stem for p in (index.DOCS / "models").glob("*.md")}
    assert pages == set(sc.available_models())
    for name in sc.available_models():
        assert index.page_title(name)


def test_every_model_page_holds_its_derived_options_table() -> None:
    options_tables = _docs_script("options_tables")
    for name in sc.available_models():
        assert options_tables.page(name).exists(), f"no doc page for the model {name}"
        held = options_tables.current(name)
        assert held is not None, f"docs/models/{name}.md has no <!-- options --> markers"
        assert held == options_tables.table(name), (
            f"docs/models/{name}.md's options table is stale: "
            "run python docs/options_tables.py --write"
        )


def test_readme_bottom_line_figures_are_current() -> None:
    """The README's bottom line on Karabakh is `statecraft brief karabakh-2020` (2,000 draws,
    seed 0): every percentage it quotes, both ways (forecast and actual), the margin's
    interval and the flags."""
    text = " ".join(README.split())
    b = sc.brief(sc.load("karabakh-2020"), draws=2000, seed=0)
    assert b.inputs == int(re.search(r"over the (\d+) coded ranges", text).group(1))  # type: ignore[union-attr]
    p = {v.actor: v for v in b.winners}
    actual = {v.actor: v for v in b.actual_winners or ()}

    def pct(x: float) -> str:
        return f"{x:.0%}"

    def model(actor: str, name: str) -> str:
        return pct(p[actor].by_model[name].p_biggest)

    quoted = [
        f"Turkey is the biggest winner in {pct(p['turkey'].p_biggest)} of the draws, "
        f"Azerbaijan in {pct(p['azerbaijan'].p_biggest)}, Russia in {pct(p['russia'].p_biggest)}",
        f"the compromise model names Turkey in {model('turkey', 'compromise')} of draws and "
        f"Azerbaijan in {model('azerbaijan', 'compromise')}",
        f"the median voter names Azerbaijan ({model('azerbaijan', 'median')})",
        f"expected utility leans to Turkey ({model('turkey', 'expected-utility')}, "
        f"Azerbaijan {model('azerbaijan', 'expected-utility')})",
        f"Kalai-Smorodinsky name Russia ({model('russia', 'nash')} and "
        f"{model('russia', 'kalai-smorodinsky')})",
        f"Turkey leads with {pct(actual['turkey'].p_biggest)}, Azerbaijan "
        f"{pct(actual['azerbaijan'].p_biggest)}, Russia {pct(actual['russia'].p_biggest)}",
        f"Turkey {pct(p['turkey'].p_biggest)}, Azerbaijan {pct(p['azerbaijan'].p_biggest)} "
        f"and Russia {pct(p['russia'].p_biggest)} (`statecraft brief`, 2,000 draws)",
    ]
    weighted = sc.brief(sc.load("karabakh-2020"), draws=2000, seed=0, weights="backtest")
    w = {v.actor: v.p_biggest for v in weighted.winners}
    assert weighted.winners[0].actor == "turkey"
    quoted.append(
        f"(`--weights backtest`) keeps the order: Turkey {pct(w['turkey'])}, "
        f"Azerbaijan {pct(w['azerbaijan'])}"
    )
    for sentence in quoted:
        assert sentence in text, sentence
    assert [v.actor for v in b.winners[:3]] == ["turkey", "azerbaijan", "russia"]
    assert (b.actual_winners or ())[0].actor == "turkey"
    assert [f.kind for f in b.flags] == [
        "still_moving",
        "models_disagree",
        "narrow_margin",
        "near_flip",
    ]
    assert "changes the winner under four of the five models" in text
    flip = next(f.message for f in b.flags if f.kind == "near_flip")
    assert sum(f"under {m} (" in flip for m in b.models) == 4
    margin = next(f.message for f in b.flags if f.kind == "narrow_margin")
    interval = re.search(r"(-\d\.\d\d) to (\+\d\.\d\d)", margin)
    assert interval is not None
    assert f"80% interval of the difference in gain: {interval[1]} to {interval[2]}" in text


ADVISE_PAGE = (Path(__file__).resolve().parents[1] / "docs" / "advise.md").read_text("utf-8")


@pytest.mark.parametrize(
    "model", ["compromise", "median", "nash", "kalai-smorodinsky", "expected-utility"]
)
def test_advise_page_karabakh_tables_are_current(model: str) -> None:
    """Drift check (the figures are Statecraft's own output, quoted in docs/advise.md): each
    model's row of "Armenia's levers" (Armenia's gain, then its top levers in order, each
    effect across the range and the share of draws it helps in) and of the cheapest flips
    (the cost of each single change named, to the decimals written)."""
    section = ADVISE_PAGE.split("## On karabakh-2020")[1].split("\n## ")[0]
    rows = [line for line in section.splitlines() if line.startswith(f"| {model} | ")]
    assert len(rows) == 2, "the page's two Karabakh tables have changed; update this test"
    levers, flips = rows
    data = sc.advise(sc.load("karabakh-2020"), "armenia", model=model, draws=1000).to_dict()
    assert levers.split("|")[2].strip().replace("−", "-") == f"{data['goal_value']:+.3f}"
    quoted = re.findall(r"([+−-]\d\.\d{3}) \((?:[^;)]*; )?(\d+)%\)", levers)
    assert len(quoted) >= 4, levers  # the row names four or five levers, checked in order
    for (effect, share), lever in zip(quoted, data["levers"], strict=False):
        assert effect.replace("−", "-") == f"{lever['effect_range']:+.3f}", lever
        assert f"{share}%" == f"{lever['robustness']:.0%}", lever
    costs = re.findall(r"\((\d+\.\d+), ", flips.split("|")[3])
    assert costs, flips
    for cost, single in zip(costs, data["flips"]["single"], strict=False):
        assert cost == f"{single['cost']:.{len(cost.split('.')[1])}f}", single
