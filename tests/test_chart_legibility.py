"""Charts that show every forecast (issue 20): each property is checked on the built figure,
from the artists' positions and extents as the renderer measures them and from their
colours, never from pixels. On karabakh-2020 and on a hand-built scenario whose forecasts
coincide at both ends of the scale.

The contrast ratio is computed here from WCAG 2.x's definition (not from the charts' own
helper), so that a wrong helper cannot pass its own test.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import statecraft as sc

matplotlib = pytest.importorskip("matplotlib")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from statecraft.report import charts  # noqa: E402

#: A scenario worked by hand: two actors at 0 and three at 100 (capability 1 and 3, full
#: salience), the status quo at 0 and the actual outcome at 100. The weighted median is 100
#: (9 of the 11 weight units sit there), as is the actual outcome; the status quo is 0.
ENDS: dict[str, Any] = {
    "name": "ends",
    "title": "Coincident forecasts at the ends of the scale",
    "issues": [
        {
            "id": "x",
            "label": "X",
            "scale": {"low": 0, "high": 100},
            "status_quo": 0,
            "actual": 100,
        }
    ],
    "actors": [
        {"id": i, "capability": c, "stances": {"x": {"position": p, "salience": 1.0}}}
        for i, c, p in (("a", 1, 0), ("b", 1, 0), ("c", 3, 100), ("d", 3, 100), ("e", 3, 100))
    ],
}


@pytest.fixture(scope="module")
def karabakh() -> sc.Forecast:
    return sc.forecast(sc.load("karabakh-2020"))


@pytest.fixture(scope="module")
def ends() -> sc.Forecast:
    return sc.forecast(sc.Scenario.model_validate(ENDS))


def _drawn(fig: Any) -> Any:
    """Lay the figure out and draw it; its renderer."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def _luminance(colour: Any) -> float:
    r, g, b, a = to_rgba(colour)
    channels = [a * c + 1.0 - a for c in (r, g, b)]  # over white
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(colour: Any) -> float:
    """WCAG 2.x contrast ratio against white."""
    return 1.05 / (_luminance(colour) + 0.05)


def _overlap(a: Any, b: Any) -> bool:
    """Whether two display boxes share any area."""
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def _touch(a: Any, b: Any) -> bool:
    """Whether two display boxes meet at all: share area, or an edge (two lines of no
    width at one place meet)."""
    return a.x0 <= b.x1 and b.x0 <= a.x1 and a.y0 <= b.y1 and b.y0 <= a.y1


def _inside(inner: Any, outer: Any, margin: float = 0.0) -> bool:
    return (
        inner.x0 >= outer.x0 + margin
        and inner.x1 <= outer.x1 - margin
        and inner.y0 >= outer.y0 + margin
        and inner.y1 <= outer.y1 - margin
    )


def _text_box(text: Any, renderer: Any) -> Any:
    """The extent of a text's own glyphs (an annotation's extent takes in its leader line)."""
    return Text.get_window_extent(text, renderer)


def _marks(forecast: sc.Forecast) -> set[str]:
    return {*forecast.model_names, "status quo", "actual outcome"}


# The issue map -------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["karabakh", "ends"])
def test_issue_map_draws_every_mark_whole(case: str, request: pytest.FixtureRequest) -> None:
    """Nothing clipped at the ends of a scale: every actor's marker (its centre plus its
    radius and edge) and every forecast's mark lies inside its axes, clear of the frame."""
    f = request.getfixturevalue(case)
    fig = charts.issue_map(f)
    renderer = _drawn(fig)
    px = fig.dpi / 72.0
    at_ends = 0
    for ax, item in zip(fig.axes, f.scenario.issues, strict=True):
        frame = ax.get_window_extent(renderer)
        scatter = next(c for c in ax.collections if isinstance(c, PathCollection))
        centres = ax.transData.transform(scatter.get_offsets())
        sizes = scatter.get_sizes()
        for (cx, cy), size in zip(centres, itertools.cycle(sizes), strict=False):
            r = (size**0.5 / 2 + 0.3) * px
            whole = frame.x0 < cx - r < cx + r < frame.x1 and frame.y0 < cy - r < cy + r < frame.y1
            assert whole, f"{item.id}: a marker is cut"
        positions = scatter.get_offsets()[:, 0]
        at_ends += int(sum(p in (item.scale.low, item.scale.high) for p in positions))
        for line in ax.get_lines():
            if line.get_label() in _marks(f):
                box = line.get_window_extent(renderer)
                assert _inside(box, frame, margin=1.0), f"{item.id}: {line.get_label()} cut"
    assert at_ends > 0  # the case has actors at the ends of a scale


@pytest.mark.parametrize("case", ["karabakh", "ends"])
def test_issue_map_hides_no_forecast(case: str, request: pytest.FixtureRequest) -> None:
    """Coincident forecasts are offset, never hidden: each model's forecast, the status quo
    and the actual outcome have a mark of their own on every issue, and no two marks touch
    (on karabakh-2020's territory, Nash and Kalai-Smorodinsky sit with the status quo at 25,
    the median and expected utility at 100)."""
    f = request.getfixturevalue(case)
    fig = charts.issue_map(f)
    renderer = _drawn(fig)
    coincide = 0
    for ax, result in zip(fig.axes, f.issues, strict=True):
        wanted = {m for m, v in result.forecasts.items() if v is not None}
        wanted |= {"status quo"} if result.status_quo is not None else set()
        wanted |= {"actual outcome"} if result.actual is not None else set()
        marks = [line for line in ax.get_lines() if line.get_label() in _marks(f)]
        assert sorted(m.get_label() for m in marks) == sorted(wanted)
        values = [v for v in result.forecasts.values() if v is not None]
        coincide += len(values) - len(set(values))
        boxes = [(m.get_label(), m.get_window_extent(renderer)) for m in marks]
        for (one, a), (two, b) in itertools.combinations(boxes, 2):
            assert not _touch(a, b), f"{result.issue}: {one} and {two} cover each other"
    assert coincide >= 2  # the case has coinciding forecasts


@pytest.mark.parametrize("case", ["karabakh", "ends"])
def test_issue_map_labels_do_not_collide(case: str, request: pytest.FixtureRequest) -> None:
    """Every actor has its label; no two labels overlap (karabakh-2020 had "france" on
    "russia"), no label lies on an actor's marker, and every label lies inside the figure."""
    f = request.getfixturevalue(case)
    fig = charts.issue_map(f)
    renderer = _drawn(fig)
    px = fig.dpi / 72.0
    for ax, item in zip(fig.axes, f.scenario.issues, strict=True):
        ids = list(sc.issue_arrays(f.scenario, item.id).actor_ids)
        texts = [t for t in ax.texts if t.get_text() in ids]
        assert sorted(t.get_text() for t in texts) == sorted(ids)
        boxes = [(t.get_text(), _text_box(t, renderer)) for t in texts]
        for (one, a), (two, b) in itertools.combinations(boxes, 2):
            assert not _overlap(a, b), f"{item.id}: {one!r} and {two!r} overlap"
        assert all(_inside(b, fig.bbox) for _, b in boxes)
        scatter = next(c for c in ax.collections if isinstance(c, PathCollection))
        centres = ax.transData.transform(scatter.get_offsets())
        for (cx, cy), size in zip(centres, itertools.cycle(scatter.get_sizes()), strict=False):
            r = size**0.5 / 2 * px
            for name, b in boxes:
                on = b.x0 < cx + r and cx - r < b.x1 and b.y0 < cy + r and cy - r < b.y1
                assert not on, f"{item.id}: {name!r} lies on a marker"


def test_quadrant_labels_do_not_collide(karabakh: sc.Forecast) -> None:
    """Russia's view of the status issue has five actors within 0.1 of the origin; their
    labels must not overlap one another nor any actor's marker."""
    fig = charts.quadrant(karabakh, "russia", "status")
    renderer = _drawn(fig)
    ax = fig.axes[0]
    others = {str(o) for o in karabakh.dyads().query("actor == 'russia'")["other"]}
    boxes = [_text_box(t, renderer) for t in ax.texts if t.get_text() in others]
    assert len(boxes) == len(others)
    for a, b in itertools.combinations(boxes, 2):
        assert not _overlap(a, b)
    px = fig.dpi / 72.0
    scatter = ax.collections[0]
    r = scatter.get_sizes()[0] ** 0.5 / 2 * px
    for cx, cy in ax.transData.transform(scatter.get_offsets()):
        for b in boxes:
            assert not (b.x0 < cx + r and cx - r < b.x1 and b.y0 < cy + r and cy - r < b.y1)


# Legends, colour bars and titles --------------------------------------------------------


def _every_chart(f: sc.Forecast) -> dict[str, Any]:
    from statecraft.analysis.counterfactual import compare, load_patch
    from statecraft.analysis.sensitivity import one_at_a_time
    from statecraft.analysis.uncertainty import simulate

    s = f.scenario
    return {
        "issue-map": charts.issue_map(f),
        "trajectories": charts.trajectories(f, "territory"),
        "winners": charts.winners_chart(f),
        "confrontations": charts.confrontations(f),
        "distributions": charts.distributions(simulate(s, "compromise", draws=300, seed=1)),
        "tornado": charts.tornado(one_at_a_time(s, "compromise"), "territory", top=5),
        "counterfactuals": charts.counterfactuals(
            compare(s, [load_patch("us-engaged", scenario=s)])
        ),
    }


@pytest.fixture(scope="module")
def every_chart(karabakh: sc.Forecast) -> dict[str, Any]:
    return _every_chart(karabakh)


def test_legends_and_colour_bars_clear_the_plots_and_titles(every_chart: dict[str, Any]) -> None:
    """Every legend lies outside every plotting area; no legend and no colour bar overlaps a
    title (the figure's or an axes'); each lies inside the figure. Before, the issue map's
    legend covered its title, the confrontations' colour bar its title, and the winners,
    distributions and tornado legends lay on the plots."""
    wrong = []
    for kind, fig in every_chart.items():
        renderer = _drawn(fig)
        colourbars = [ax for ax in fig.axes if ax.get_label() == "<colorbar>"]
        plots = [ax for ax in fig.axes if ax.get_visible() and ax not in colourbars]
        legends = [*fig.legends, *(ax.get_legend() for ax in plots if ax.get_legend())]
        titles = [t for t in (fig._suptitle, *(ax.title for ax in plots)) if t and t.get_text()]
        for legend in legends:
            box = legend.get_window_extent(renderer)
            wrong += [f"{kind}: legend on a plot" for ax in plots if _overlap(box, ax.bbox)]
            wrong += [
                f"{kind}: legend on a title"
                for t in titles
                if _overlap(box, t.get_window_extent(renderer))
            ]
            wrong += [] if _inside(box, fig.bbox) else [f"{kind}: legend cut off"]
        for bar in colourbars:
            box = bar.get_tightbbox(renderer)
            wrong += [
                f"{kind}: colour bar on a title"
                for t in titles
                if _overlap(box, t.get_window_extent(renderer))
            ]
        for t in titles:
            wrong += (
                []
                if _inside(t.get_window_extent(renderer), fig.bbox)
                else [f"{kind}: title cut off"]
            )
    assert not wrong


# Colours --------------------------------------------------------------------------------


def _colours(fig: Any) -> list[tuple[str, Any]]:
    """What each line, marker and bar shows itself by: (a name, its colours); a mark passes
    when any of its colours (edge or face) does."""
    out: list[tuple[str, Any]] = []
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>" or not ax.get_visible():
            continue
        for line in ax.get_lines():
            if not line.get_visible():
                continue
            name = f"line {line.get_label()!r}"
            if line.get_linestyle() not in ("None", "none", "", " "):
                out.append((name, [line.get_color()]))
            elif line.get_marker() not in ("None", "none", "", None):
                out.append((name, [line.get_markeredgecolor(), line.get_markerfacecolor()]))
        for coll in ax.collections:
            if isinstance(coll, PathCollection):
                faces, edges = coll.get_facecolors(), coll.get_edgecolors()
                for k in range(len(coll.get_offsets())):
                    colours = [faces[k % len(faces)]] if len(faces) else []
                    colours += [edges[k % len(edges)]] if len(edges) else []
                    out.append((f"marker {coll.get_label()!r}", colours))
        for patch in ax.patches:
            # bars: opaque rectangles (a translucent band such as an interval is background)
            if isinstance(patch, Rectangle) and patch.get_facecolor()[3] == 1.0:
                out.append((f"bar {patch.get_label()!r}", [patch.get_facecolor()]))
    return out


def test_every_line_marker_and_bar_passes_3_to_1_on_white(every_chart: dict[str, Any]) -> None:
    """WCAG 2.x, 1.4.11 (non-text contrast): every line, marker and bar of every chart has a
    contrast ratio of at least 3:1 against the white page (the expected utility line's
    Okabe-Ito yellow, #F0E442, has 1.3:1)."""
    faint = []
    for kind, fig in every_chart.items():
        for name, colours in _colours(fig):
            best = max(_contrast(c) for c in colours)
            if best < 3.0:
                faint.append(f"{kind}: {name} {best:.2f}:1")
    assert not faint


def test_the_contrast_check_itself_on_known_ratios() -> None:
    """The ratios WCAG's definition gives by hand: black on white 21:1; #767676, the grey
    commonly cited as the lightest with 4.5:1 on white, 4.54:1; Okabe-Ito's yellow 1.32:1."""
    assert _contrast("#000000") == pytest.approx(21.0)
    assert _contrast("#FFFFFF") == pytest.approx(1.0)
    assert _contrast("#767676") == pytest.approx(4.54, abs=0.01)
    assert _contrast("#F0E442") == pytest.approx(1.32, abs=0.01)
    assert charts.contrast_ratio("#767676") == pytest.approx(_contrast("#767676"))
    assert charts.contrast_ratio("#FFFFFF", "#000000") == pytest.approx(21.0)
    assert all(_contrast(c) >= 3.0 for c in (*charts.PALETTE, *charts.SERIES, charts.CONTEXT))


# Trajectories ---------------------------------------------------------------------------


def test_trajectories_of_nine_actors_are_small_multiples(karabakh: sc.Forecast) -> None:
    """Nine actors are not a tangle: each panel shows at most one actor in colour (the rest
    grey or the shared forecast and reference lines), every actor is in colour exactly
    once, and the axes run beyond the scale's ends, so that a line at 0 or 100 is not on
    the frame."""
    fig = charts.trajectories(karabakh, "territory")
    item = next(i for i in karabakh.scenario.issues if i.id == "territory")
    names = {a.name or a.id for a in karabakh.scenario.actors if "territory" in a.stances}
    assert len(names) == 9
    shared = {"forecast", "status quo", "actual outcome"}
    coloured: list[str] = []
    for ax in (a for a in fig.axes if a.get_visible()):
        own = [line.get_label() for line in ax.get_lines() if line.get_label() in names]
        for line in ax.get_lines():
            if line.get_label() not in names | shared:  # context: grey
                r, g, b, _ = to_rgba(line.get_color())
                assert r == g == b, f"{line.get_label()!r} is in colour"
        assert len(own) <= 1, f"a panel shows {own} in colour"
        coloured += own
        low, high = ax.get_ylim()
        assert low < item.scale.low
        assert high > item.scale.high
    assert sorted(coloured) == sorted(names)


# The report -----------------------------------------------------------------------------


def test_the_reports_charts_use_the_pages_width() -> None:
    """The report's stylesheet makes each chart (an inline SVG, which scales by its
    viewBox) as wide as the page's text column, on screen and in print."""
    template = Path(charts.__file__).parent / "templates" / "report.html.j2"
    css = template.read_text(encoding="utf-8")
    rule = re.search(r"figure svg\s*\{([^}]*)\}", css)
    assert rule is not None
    assert re.search(r"(?<!max-)width:\s*100%", rule.group(1))
    assert "height: auto" in rule.group(1)


# The helpers ----------------------------------------------------------------------------


def test_stack_levels_worked_by_hand() -> None:
    # [-3, 3] and [-3, 3] overlap; [2, 8] overlaps both; [17, 23] is clear of all.
    assert charts.stack_levels([0, 0, 5, 20], [3, 3, 3, 3], gap=1.0) == [0, 1, 2, 0]
    assert charts.stack_levels([], []) == []
    with pytest.raises(ValueError, match="one half-width per centre"):
        charts.stack_levels([0, 1], [1])


def test_label_tiers_worked_by_hand() -> None:
    # 10 wide, 4 apart: the second label moves from 12 to 24 (10 + 5 + 4 + 5), within 24.
    assert charts.label_tiers([10, 12, 50], [10, 10, 10], 0, 100) == [(10, 0), (24, 0), (50, 0)]
    # allowed to move 5 at most, it takes a second tier at its anchor
    tiers = charts.label_tiers([10, 12, 50], [10, 10, 10], 0, 100, max_shift=5)
    assert tiers == [(10, 0), (12, 1), (50, 0)]
    # at the ends, a label is pulled in to lie whole inside [left, right]
    assert charts.label_tiers([0, 100], [10, 20], 0, 100) == [(5, 0), (90, 0)]
    with pytest.raises(ValueError, match="one width per anchor"):
        charts.label_tiers([1], [], 0, 10)
    with pytest.raises(ValueError, match="right > left"):
        charts.label_tiers([1], [1], 10, 10)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(0, 500), st.floats(1, 120)),
        min_size=1,
        max_size=30,
    )
)
def test_label_tiers_never_overlap_and_stay_inside(labels: list[tuple[float, float]]) -> None:
    anchors, widths = [a for a, _ in labels], [w for _, w in labels]
    placed = charts.label_tiers(anchors, widths, 0.0, 500.0, gap=4.0)
    for (c, _t), w in zip(placed, widths, strict=True):
        assert c - w / 2 >= -1e-9
        assert c + w / 2 <= 500.0 + 1e-9
    for (i, (ci, ti)), (j, (cj, tj)) in itertools.combinations(enumerate(placed), 2):
        if ti == tj:
            assert abs(ci - cj) >= (widths[i] + widths[j]) / 2 + 4.0 - 1e-9


def test_padded_limits_leave_the_margin_and_refuse_a_short_axis() -> None:
    # 400 points for 100 units plus 20 points each side: 360 points for 100 units, so a
    # margin of 20 points is 100 * 20 / 360 = 5.56 units
    low, high = charts.padded_limits(0, 100, 400, 20)
    assert low == pytest.approx(-100 * 20 / 360)
    assert high == pytest.approx(100 + 100 * 20 / 360)
    with pytest.raises(ValueError, match="too short"):
        charts.padded_limits(0, 100, 30, 20)
