"""The HTML report: its sections, inline charts, no external loads, a print stylesheet."""

from __future__ import annotations

import collections
import html
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import statecraft as sc
from statecraft.analysis.counterfactual import load_patch
from statecraft.cli import app

pytest.importorskip("jinja2")
pytest.importorskip("matplotlib")
from statecraft.report.html import EXTERNAL, report

runner = CliRunner()


@pytest.fixture(scope="module")
def karabakh_html() -> str:
    s = sc.load("karabakh-2020")
    return report(s, draws=500, seed=0, patches=[load_patch("us-engaged", scenario=s)]).html()


def test_every_section_is_there(karabakh_html: str) -> None:
    for section in (
        "question",
        "forecast",
        "winners",
        "bargaining",
        "uncertainty",
        "counterfactuals",
        "trades",
        "coding",
        "method",
        "will-it-hold",
    ):
        assert f'<section id="{section}">' in karabakh_html
    text = " ".join(karabakh_html.split())
    assert "Biggest winner: Azerbaijan" in text  # +0.379, a hair ahead of Turkey's +0.376
    assert "What the models can and cannot say" in text
    assert "Will it hold?" in text
    # the riskiest dyad of the same analysis (500 draws, seed 0), named as risk names it
    r = sc.risk("karabakh-2020", draws=500, seed=0)
    top = r.dyads[0]
    assert f"Riskiest dyad: {r.name(top.a)} – {r.name(top.b)}" in text
    assert f"risk index {top.risk.median:.3f}" in text
    # every actor and every issue, with the sources of the capabilities
    s = sc.load("karabakh-2020")
    for actor in s.actors:
        assert (actor.name or actor.id) in text
    for issue in s.issues:
        assert issue.label in text


def test_the_bottom_line_comes_first(karabakh_html: str) -> None:
    body = karabakh_html.split("<body>")[1]
    first = body.index("<section")
    assert body[first:].startswith('<section id="bottom-line">')
    section = body[first:].split("</section>")[0]
    assert "<h2>Bottom line</h2>" in section
    # the expected utility model does not settle on Karabakh: the warning is in the report
    assert "still moving" in section
    # every actor of the brief, with its probability of being the biggest winner
    brief = sc.brief("karabakh-2020", draws=500, seed=0)
    rows = section.split("<table>")[1].count("<tr>") - 1
    assert rows == len(brief.winners)
    assert f"{brief.leader.name}, in {brief.leader.p_biggest:.0%} of 500 draws" in section


#: The report top-down (issue 20): the answer first, then the forecasts, the what-ifs and what
#: moves them, the method; the scenario's tables last, as an appendix.
ORDER = [
    "bottom-line",
    "will-it-hold",
    "forecast",
    "winners",
    "bargaining",
    "trades",
    "uncertainty",
    "counterfactuals",
    "tornado",
    "method",
    "question",
    "coding",
]


def _section(page: str, name: str) -> str:
    return page.split(f'<section id="{name}">')[1].split("</section>")[0]


def test_the_report_reads_top_down(karabakh_html: str) -> None:
    assert re.findall(r'<section id="([^"]+)"', karabakh_html) == ORDER
    # the actor and source tables are in the appendix, after the method
    appendix = _section(karabakh_html, "question")
    assert "<h2>Appendix" in appendix
    assert "Actors, their positions and saliences" in appendix
    assert "<h3>Sources</h3>" in appendix
    assert "Actors, their positions" not in karabakh_html.split('<section id="method">')[0]
    # the issue map shows the forecasts: it sits in the forecast section
    assert 'id="issue-map' in _section(karabakh_html, "forecast")


def test_every_model_that_ran_has_a_column(karabakh_html: str) -> None:
    from statecraft.report.html import number

    s = sc.load("karabakh-2020")
    table = _section(karabakh_html, "forecast").split("</table>")[0]
    header = table.split("</tr>")[0]
    for name in (*sc.forecast(s).model_names, "exchange", "spatial"):
        assert f">{name}<" in header
    # the linked models' columns hold their own runs' forecasts, by hand from the rows
    rows = table.split("</tr>")[1:-1]
    for name in ("exchange", "spatial"):
        run = sc.forecast(s, name)
        for item, row in zip(s.issues, rows, strict=True):
            assert f'<td class="num">{number(run.value(item.id, name))}</td>' in row


def test_counterfactuals_name_each_patchs_winners(karabakh_html: str) -> None:
    s = sc.load("karabakh-2020")
    c = sc.compare(s, ["us-engaged"])
    section = _section(karabakh_html, "counterfactuals")
    side = section.split('<div class="beside">')[1].split("</div>")[0]
    assert "<table>" in side
    assert "<svg" in side  # the chart beside the table
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", side)).split())
    for label, run in (("base", c.base), ("us-engaged", c.patched[0][1])):
        first, second = run.winners.ranking[:2]
        assert f"{label} {first.name} ({first.gain:+.3f}) {second.name} ({second.gain:+.3f})" in (
            text
        )


def test_the_tornado_section_ranks_the_inputs(karabakh_html: str) -> None:
    from statecraft.report.html import TORNADO_TOP

    s = sc.load("karabakh-2020")
    sens = sc.one_at_a_time(s)
    table = _section(karabakh_html, "tornado").split("</table>")[0]
    shown = re.findall(r"<td>([a-z_]+:[a-z_:]+)</td>", table)
    expected = [sw.input for i in s.issue_ids for sw in sens.tornado(i)[:TORNADO_TOP]]
    assert shown == expected
    # ranked: the swings in each issue's rows fall; nothing that moves nothing is shown
    for issue in s.issue_ids:
        swings = [sw.swing for sw in sens.tornado(issue)[:TORNADO_TOP]]
        assert swings == sorted(swings, reverse=True)
        assert all(sw > 0 for sw in swings)


def test_the_trades_of_the_exchange_model_are_shown(karabakh_html: str) -> None:
    section = karabakh_html.split('<section id="trades">')[1].split("</section>")[0]
    trades = sc.forecast(sc.load("karabakh-2020"), "exchange").linked["exchange"].trades(0)
    assert trades
    rows = section.split("<table>")[1].count("<tr>") - 1
    assert rows == len(trades)
    first = sc.load("karabakh-2020").actor(trades[0]["actor"]).display_name
    assert html.escape(first) in section


def test_every_number_has_its_source_and_note(karabakh_html: str) -> None:
    """The appendix gives each position and salience with its source and note."""
    appendix = karabakh_html.split('<section id="coding">')[1].split("</section>")[0]
    text = " ".join(html.unescape(appendix).split())
    s = sc.load("karabakh-2020")
    shown = 0
    for actor in s.actors:
        for stance in actor.stances.values():
            for q in (stance.position, stance.salience):
                for words in (q.source, q.note):
                    if words:
                        assert " ".join(words.split()) in text
                        shown += 1
    assert shown > 50  # the flagship scenario sources its stances
    rows = appendix.count("<tr>") - len(s.issues)  # less a header row per issue
    assert rows == sum(len(a.stances) for a in s.actors)


def test_charts_are_inline_and_nothing_is_fetched(karabakh_html: str) -> None:
    s = sc.load("karabakh-2020")
    # issue map, winners, a trajectory per issue, confrontations, distributions,
    # counterfactuals, the risk (the scenario has a status quo) and a tornado per issue (some
    # input moves every issue of Karabakh)
    assert karabakh_html.count("<svg") == 2 + len(s.issues) + 1 + 1 + 1 + 1 + len(s.issues)
    assert "<img" not in karabakh_html
    assert "<script" not in karabakh_html
    assert "<link" not in karabakh_html
    assert EXTERNAL.findall(karabakh_html) == []


def test_ids_are_unique_and_references_resolve(karabakh_html: str) -> None:
    ids = collections.Counter(re.findall(r'\sid="([^"]+)"', karabakh_html))
    assert [k for k, n in ids.items() if n > 1] == []
    refs = re.findall(r'href="#([^"]+)"|url\(#([^)]+)\)', karabakh_html)
    assert all((a or b) in ids for a, b in refs)


def test_printable(karabakh_html: str) -> None:
    assert "@media print" in karabakh_html
    assert "@page" in karabakh_html


def test_external_pattern_catches_loads() -> None:
    for bad in ('<img src="https://x.org/a.png">', "url(//cdn.x/a.css)", "@import 'a.css'"):
        assert EXTERNAL.search(bad)
    assert not EXTERNAL.search('<use xlink:href="#glyph-1"/>')


def test_without_draws_or_patches_those_sections_are_left_out() -> None:
    html = report(sc.load("ec-emissions-1994")).html()
    assert '<section id="uncertainty">' not in html
    assert '<section id="counterfactuals">' not in html
    assert '<section id="forecast">' in html


def test_cli_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    result = runner.invoke(app, ["report", "ec-emissions-1994", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-p", "no-such-patch"], "no-such-patch"),
        (["-o", "/nonexistent/dir/r.html"], "cannot write"),
    ],
)
def test_cli_bad_report_requests(tmp_path: Path, args: list[str], message: str) -> None:
    argv = ["report", "karabakh-2020", *args]
    if "-o" not in args:
        argv += ["-o", str(tmp_path / "r.html")]
    result = runner.invoke(app, argv)
    assert result.exit_code == 2
    assert message in result.output


def test_sections_come_from_capabilities_and_classes_of_details(
    karabakh_html: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statecraft.report import html as report_html

    models = sc.available_models()
    text = html.unescape(karabakh_html)
    heading = f"<h2>Bargaining round by round: {models['expected-utility'].title}</h2>"
    assert heading in text  # the model that bargains in rounds, by its title
    assert f"<h2>Trades across issues: {models['exchange'].title}</h2>" in text
    assert f"{models['compromise'].title}: the stated positions" in text  # the reference model
    s = sc.load("karabakh-2020")
    monkeypatch.setattr(report_html, "SECTIONS", {})  # no class of details has a section
    bare = report(s).html()
    assert '<section id="trades">' not in bare
    assert "exchange" not in [m.name for m in report(s).forecast.models]

    from statecraft.report import registry

    def no_rounds(source: sc.Scenario, inputs: registry.ChartInputs) -> sc.Forecast:
        return sc.forecast(source, ["compromise", "nash"])

    monkeypatch.setitem(registry.COMPUTE, "forecast", no_rounds)  # no model bargains in rounds
    plain = report(s).html()
    assert '<section id="bargaining">' not in plain
    # the issue map, the winners, the risk and a tornado per issue (every one is moved)
    assert plain.count("<svg") == 3 + len(s.issues)
