"""The built-in scenarios: complete, sourced, and shipped inside the package."""

from __future__ import annotations

import importlib.resources

import pytest

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
            assert 0 <= value <= 100
    assert f.actual_winners is not None
    assert len(f.winners.ranking) == len(f.scenario.actors)
