"""The web app in a real browser: headless Chromium driven by Playwright.

Skipped, with a message, where Playwright or Chromium is missing (`.ci/run` installs
Debian's ``chromium``). With ``STATECRAFT_SCREENSHOTS=DIR`` the tests also save the
screenshots of the main views there (how docs/img/web-*.png are made).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

pytest.importorskip("fastapi")
sync_api = pytest.importorskip("playwright.sync_api")

from tests.conftest import TINY  # noqa: E402

CHROMIUM = next(
    (p for p in (shutil.which("chromium"), shutil.which("chromium-browser")) if p), None
)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed")

# Chromium's flags for a closed machine: no background network, no sandbox as root.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _serve(store: Path, token: str | None = None) -> tuple[Any, threading.Thread, str]:
    import uvicorn

    from statecraft.web import create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(
        create_app(store=str(store), token=token),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    return srv, thread, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    srv, thread, url = _serve(tmp_path_factory.mktemp("web") / "runs.sqlite")
    yield url
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(server + "/")
    pg.wait_for_selector(_cell("actors", 0, "capability"))
    yield pg
    context.close()
    assert errors == [], errors  # no script error on the page


def _cell(*path: str | int) -> str:
    """The selector of the input at a path of the scenario (the page keeps it as JSON)."""
    return "input[data-path='" + json.dumps(list(path), separators=(",", ":")) + "']"


def _shot(page: Any, name: str) -> None:
    folder = os.environ.get("STATECRAFT_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"web-{name}.png"), full_page=True)


def _forecast_of(page: Any, label: str) -> str:
    # the forecast's own table (the bottom line's tables sit in #bottom-line, above it)
    row = page.locator("#results > table tr", has_text=label).first
    return str(row.locator("td").nth(2).inner_text())


def test_edit_turkeys_salience_and_the_forecast_changes(page: Any) -> None:
    assert page.locator("#grid tr", has_text="turkey").count() == 1  # karabakh-2020 loaded
    page.click("#forecast")
    page.wait_for_selector("#headline")
    label = "Turkey's role in the settlement"
    before = _forecast_of(page, label)
    page.wait_for_selector("#results figure.chart svg")  # the report's issue map
    page.wait_for_selector("#bottom-line")
    # the scenario has a status quo: the risk comes first in the results, then the bottom line
    page.wait_for_selector("#will-it-hold")
    first = "document.querySelector('#results').firstElementChild"
    assert page.evaluate(f"{first}.id") == "will-it-hold"
    assert page.evaluate(f"{first}.nextElementSibling.id") == "bottom-line"
    assert "Riskiest dyad: azerbaijan – armenia" in page.inner_text("#will-it-hold")
    assert "Most often the biggest winner" in page.inner_text("#bottom-line")
    _shot(page, "forecast")
    turkey = page.evaluate("state.data.actors.findIndex((a) => a.id === 'turkey')")
    cell = page.locator(_cell("actors", turkey, "stances", "turkey_role", "salience"))
    cell.fill("0.05")
    cell.dispatch_event("change")
    page.click("#forecast")
    page.wait_for_function(
        "([label, before]) => { const r = [...document.querySelectorAll('#results > table tr')]"
        ".find((tr) => tr.innerText.includes(label));"
        " return r && r.cells[2].innerText !== before; }",
        arg=[label, before],
    )
    after = _forecast_of(page, label)
    assert float(after) < float(before)  # Turkey wants a large role; caring less, it gets less
    assert page.locator("#undo").is_enabled()


def test_a_broken_upload_shows_the_error_at_its_cell(page: Any, tmp_path: Path) -> None:
    bad = yaml.safe_load(yaml.safe_dump(TINY))
    bad["actors"][0]["stances"]["tax"]["salience"] = 7
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(bad))
    page.set_input_files("#upload", str(path))
    page.wait_for_selector("#problem:not([hidden])")
    assert "salience must lie between 0 and 1 (got 7.0)" in page.inner_text("#problem")
    cell = page.locator(_cell("actors", 0, "stances", "tax", "salience"))
    assert "bad" in (cell.get_attribute("class") or "")
    assert cell.input_value() == "7"
    _shot(page, "error")
    cell.fill("0.7")  # fixed where it stands, it runs
    cell.dispatch_event("change")
    page.wait_for_selector("#problem", state="hidden")
    page.click("#forecast")
    page.wait_for_selector("#headline")
    assert "Tax rate" in page.inner_text("#results")


def test_a_monte_carlo_study_finishes_its_progress_bar(page: Any) -> None:
    page.fill("#draws", "20000")
    page.click("#study")
    page.wait_for_selector("#progress:not([hidden])")
    page.wait_for_function("document.querySelector('#status').innerText.includes('done')")
    assert page.evaluate("document.querySelector('#progress').value") == 20000
    assert page.evaluate("document.querySelector('#progress').max") == 20000
    assert "Monte Carlo: 20,000 draws" in page.inner_text("#results")
    assert page.locator("#cancel").is_hidden()
    page.wait_for_selector("#results figure.chart svg")  # the report's distributions chart
    _shot(page, "study")


def test_the_expected_utility_models_charts_come_with_its_forecast(page: Any) -> None:
    page.check("#models input[value='expected-utility']")
    page.click("#forecast")
    page.wait_for_function("document.querySelectorAll('#results figure.chart svg').length >= 7")
    captions = page.locator("#results figcaption").all_inner_texts()
    assert sum("positions by round" in c for c in captions) == 5  # one per issue
    assert any("confrontation" in c for c in captions)


def test_the_page_asks_for_the_token_once(browser: Any, tmp_path: Path) -> None:
    srv, thread, url = _serve(tmp_path / "runs.sqlite", token="s3cret")
    try:
        context = browser.new_context()
        page = context.new_page()
        asked: list[str] = []

        def answer(dialog: Any) -> None:
            asked.append(dialog.message)
            dialog.accept("s3cret")

        page.on("dialog", answer)
        page.goto(url + "/")
        page.wait_for_selector(_cell("actors", 0, "capability"))
        page.click("#forecast")
        page.wait_for_selector("#headline")
        assert asked == ["This server needs its token"]
        context.close()
    finally:
        srv.should_exit = True
        thread.join(timeout=10)


def test_the_chart_picker_offers_and_draws_every_kind(page: Any, tmp_path: Path) -> None:
    from statecraft.report.registry import CHARTS
    from tests.test_deu import _table

    offered = page.eval_on_selector_all("#chart-kind option", "els => els.map((e) => e.value)")
    assert offered == list(CHARTS)  # from GET /api/charts, not a list in the page
    # A chart of a forecast whose models give no rounds (only the first model is ticked).
    page.select_option("#chart-kind", "confrontations")
    assert page.locator("#chart-actor").is_hidden()
    page.click("#draw")
    page.wait_for_function("document.querySelector('#status').innerText.includes('needs')")
    assert "needs a model that gives the dyads headed for confrontation" in page.inner_text(
        "#status"
    )
    page.check("#models input[value='expected-utility']")
    page.select_option("#chart-kind", "quadrant")
    assert page.locator("#chart-actor").is_visible()
    assert page.locator("#chart-table").is_hidden()
    page.select_option("#chart-actor", "russia")
    page.select_option("#chart-issue", "status")
    page.click("#draw")
    page.wait_for_selector("#results figure[data-kind='quadrant'] svg")
    assert "Russia's view" in page.text_content("#results figure[data-kind='quadrant'] svg")
    page.select_option("#chart-kind", "tornado")
    page.click("#draw")
    page.wait_for_selector("#results figure[data-kind='tornado'] svg")
    # The backtest reads a DEU table, chosen here.
    page.select_option("#chart-kind", "backtest")
    assert page.locator("#chart-table").is_visible()
    page.set_input_files("#chart-table", str(_table(tmp_path)))
    page.click("#draw")
    page.wait_for_selector("#results figure[data-kind='backtest'] svg")
    _shot(page, "chart")


def test_model_options_are_a_form_made_from_their_declaration(page: Any) -> None:
    # The expected utility model's rounds field carries the bounds the model declares.
    rounds = page.locator(
        "#model-options fieldset[data-model='expected-utility'] [data-option='rounds']"
    )
    assert rounds.get_attribute("min") == "1"
    assert rounds.get_attribute("max") == "100"
    # Nash with linear utility, chosen in its form, gives the library's linear forecast.
    page.uncheck("#models input[value='compromise']")
    page.check("#models input[value='nash']")
    nash = page.locator("#model-options fieldset[data-model='nash']")
    assert nash.is_visible()
    nash.locator("[data-option='utility']").select_option("linear")
    page.click("#forecast")
    page.wait_for_selector("#headline")
    label = "Russian peacekeepers and military presence"
    shown = float(_forecast_of(page, label))
    import statecraft as sc

    linear = sc.forecast("karabakh-2020", "nash", options={"utility": "linear"})
    quadratic = sc.forecast("karabakh-2020", "nash")
    assert shown == pytest.approx(linear.value("peacekeepers", "nash"), abs=0.05)
    assert abs(shown - (quadratic.value("peacekeepers", "nash") or 0)) > 1  # 52.6 vs 50.0


def test_ticked_patches_stack_into_one_counterfactual(page: Any) -> None:
    page.wait_for_selector("#patches input.patch")
    page.check("#patches input.patch[value='us-engaged']")
    page.check("#patches input.patch[value='eu-engaged']")
    page.click("#compare")
    page.wait_for_selector("#results table")
    two = page.inner_text("#results")
    assert "eu-engaged+us-engaged" not in two  # two counterfactuals side by side
    # stacked: one counterfactual, its patches in the order the page lists them
    page.check("#stack")
    page.click("#compare")
    page.wait_for_function(
        "document.querySelector('#results').innerText.includes('eu-engaged+us-engaged')"
    )
