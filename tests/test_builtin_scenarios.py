"""The built-in scenarios: complete, sourced, and shipped inside the package."""

from __future__ import annotations

import importlib.resources
from typing import Any

import pytest
import yaml

import statecraft as sc

KARABAKH_ACTORS = {
    "azerbaijan",
    "armenia",
    "artsakh",
    "russia",
    "turkey",
    "iran",
    "france",
    "usa",
    "eu",
}
KARABAKH_ISSUES = {"territory", "status", "peacekeepers", "turkey_role", "nakhchivan_link"}


def test_builtins_are_listed() -> None:
    assert {"karabakh-2020", "ec-emissions-1994"} <= set(sc.builtin_names())


@pytest.mark.parametrize("name", ["karabakh-2020", "ec-emissions-1994"])
def test_builtin_ships_inside_the_package(name: str) -> None:
    files = importlib.resources.files("statecraft.scenarios")
    text = files.joinpath(f"{name}.yaml").read_text("utf-8")
    assert "../shared" not in text  # never read at run time from the shared folder
    assert sc.load(name).name == name


def test_karabakh_has_the_required_actors_and_issues() -> None:
    s = sc.load("karabakh-2020")
    assert set(s.actor_ids) >= KARABAKH_ACTORS
    assert set(s.issue_ids) >= KARABAKH_ISSUES
    assert s.sources


def test_karabakh_every_issue_has_status_quo_actual_and_meanings() -> None:
    for issue in sc.load("karabakh-2020").issues:
        assert issue.status_quo is not None, issue.id
        assert issue.actual is not None, issue.id
        assert issue.scale.low_meaning, issue.id
        assert issue.scale.high_meaning, issue.id
        for q in (issue.status_quo, issue.actual):
            assert q.source, issue.id
            assert q.note, issue.id


def test_karabakh_every_number_has_a_source_and_a_note() -> None:
    s = sc.load("karabakh-2020")
    for actor in s.actors:
        assert actor.capability.source, actor.id
        assert actor.capability.note, actor.id
        for issue_id, stance in actor.stances.items():
            for field in ("position", "salience", "capability"):
                q = getattr(stance, field)
                if q is not None:
                    assert q.source, (actor.id, issue_id, field)
                    assert q.note, (actor.id, issue_id, field)


def test_karabakh_forecasts_every_issue_with_every_model() -> None:
    f = sc.forecast("karabakh-2020")
    # Every issue has a status quo, so every one-issue model runs (the linked ones when named).
    one_issue = [name for name, cls in sc.available_models().items() if not cls.links_issues]
    assert f.model_names == tuple(one_issue)
    assert {"compromise", "median", "nash", "expected-utility"} <= set(one_issue)
    for item in f.issues:
        for model in f.model_names:
            value = item.forecasts[model]
            assert value is not None
            assert 0 <= value <= 100  # a sanity check only: the next test checks the numbers
    assert f.actual_winners is not None
    assert len(f.winners.ranking) == len(f.scenario.actors)


def _number(quantity: Any) -> float:
    """A number of the scenario file: plain, or the ``value`` of ``{value, low, high, ...}``."""
    return float(quantity["value"] if isinstance(quantity, dict) else quantity)


def test_karabakh_compromise_and_median_from_the_file_by_hand() -> None:
    """Each Karabakh issue's compromise and median, worked here from the scenario file read
    with PyYAML alone (not Statecraft's reader): an actor's weight on an issue is its
    capability there (the stance's own, else its overall one) times its salience; the
    compromise is the weighted mean of the positions (Achen 2006, docs/models/compromise.md)
    and the median the position that beats every other in pairwise votes, each actor voting,
    with its weight, for the one strictly nearer (Black 1958, by brute force). On every issue
    one position beats all others, so there is no tie to split."""
    text = (importlib.resources.files("statecraft.scenarios") / "karabakh-2020.yaml").read_text()
    data = yaml.safe_load(text)
    forecast = {
        i.issue: i.forecasts for i in sc.forecast("karabakh-2020", ["compromise", "median"]).issues
    }
    assert set(forecast) == {i["id"] for i in data["issues"]}
    assert len(forecast) == 5  # the loop below checks five issues
    for issue in data["issues"]:
        rows = []
        for actor in data["actors"]:
            stance = actor.get("stances", {}).get(issue["id"])
            if stance is None:
                continue
            own = stance.get("capability")
            capability = _number(own if own is not None else actor["capability"])
            rows.append((capability * _number(stance["salience"]), _number(stance["position"])))
        mean = sum(w * x for w, x in rows) / sum(w for w, _ in rows)
        # rel: the two sums are added in another order than the model's
        assert forecast[issue["id"]]["compromise"] == pytest.approx(mean, rel=1e-12, abs=0)

        def beats(p: float, q: float, rows: list[tuple[float, float]] = rows) -> bool:
            near_p = sum(w for w, x in rows if abs(x - p) < abs(x - q))
            return near_p > sum(w for w, x in rows if abs(x - q) < abs(x - p))

        places = {x for _, x in rows}
        (winner,) = [p for p in places if all(beats(p, q) for q in places - {p})]
        assert forecast[issue["id"]]["median"] == winner
