"""The look every chart shares: the palette, the contrast check, the marks of the status quo
and the actual outcome, and where legends and colour bars go.

Shared by every chart of :mod:`statecraft.report.charts`, and for new charts to reuse
(docs/charts.md, "Helpers for new charts").
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.figure import Figure
    from matplotlib.legend import Legend

#: The Okabe & Ito (2008) palette as published: black, orange, sky blue, bluish green,
#: yellow, blue, vermillion, reddish purple.
OKABE_ITO = (
    "#000000",
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
)
#: The palette of the charts: Okabe-Ito's hues, with the four that fall short of a 3:1
#: contrast ratio on white (WCAG 2.x, success criterion 1.4.11, non-text contrast) darkened,
#: at the same hue and saturation in HLS, until they reach 3.3:1: orange #E69F00 (2.25:1)
#: -> #BB8100, sky blue #56B4E9 (2.31:1) -> #1C95D9, yellow #F0E442 (1.32:1) -> #978E0C (an
#: olive), reddish purple #CC79A7 (3.06:1) -> #C870A1. The order is Okabe-Ito's.
PALETTE = (
    "#000000",
    "#BB8100",
    "#1C95D9",
    "#009E73",
    "#978E0C",
    "#0072B2",
    "#D55E00",
    "#C870A1",
)
#: The series colours: the palette less black (the forecast) and vermillion (the outcome),
#: blue first.
SERIES = ("#0072B2", "#BB8100", "#009E73", "#C870A1", "#1C95D9", "#978E0C")
#: Marker shapes, one per series, so that a series never depends on its colour alone.
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "<", ">", "p")
_STYLES = ("-", "--", ":", "-.")
#: What is drawn for context only (the other actors of a small multiple, leader lines):
#: the lightest grey that still passes 3:1 on white (3.45:1).
CONTEXT = "#8A8A8A"
#: The marks every chart shares.
STATUS_QUO: dict[str, Any] = {"color": "#555555", "linestyle": "--", "linewidth": 1.2}
ACTUAL: dict[str, Any] = {"color": "#D55E00", "linestyle": "-", "linewidth": 2.0}
#: The least contrast on white of any line, marker or bar (WCAG 2.x, 1.4.11).
MIN_CONTRAST = 3.0


def style(k: int) -> dict[str, Any]:
    """The colour and line style of the k-th series: six colours, then the next style."""
    return {"color": SERIES[k % len(SERIES)], "linestyle": _STYLES[(k // len(SERIES)) % 4]}


def relative_luminance(colour: Any) -> float:
    """The relative luminance of a colour (any matplotlib colour; an alpha below 1 is first
    blended over white), as WCAG 2.x defines it: each sRGB channel linearised
    (c/12.92 up to 0.04045, ((c+0.055)/1.055)^2.4 above), then 0.2126 R + 0.7152 G +
    0.0722 B."""
    from matplotlib.colors import to_rgba

    r, g, b, a = to_rgba(colour)
    channels = [a * c + (1.0 - a) for c in (r, g, b)]  # over white
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast_ratio(colour: Any, background: Any = "#FFFFFF") -> float:
    """The WCAG 2.x contrast ratio (L1 + 0.05) / (L2 + 0.05) of two colours, the lighter's
    relative luminance L1 over the darker's L2: 1 (none) to 21 (black on white)."""
    one, two = relative_luminance(colour), relative_luminance(background)
    return (max(one, two) + 0.05) / (min(one, two) + 0.05)


def figure(
    width: float = 8.0,
    height: float = 4.5,
    *,
    layout: Literal["constrained", "compressed", "tight"] | None = "constrained",
) -> Figure:
    """A figure made without pyplot (no global state, safe in threads and servers)."""
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - matplotlib is in the dev install
        raise ImportError("charts need matplotlib: pip install 'statecraft[report]'") from exc
    return Figure(figsize=(width, height), layout=layout)


def legend_below(
    fig: Figure,
    handles: Sequence[Artist] | None = None,
    labels: Sequence[str] | None = None,
    *,
    fontsize: str | float = "small",
) -> Legend | None:
    """A figure legend under every axes, outside the plotting areas and away from the
    title, in as many columns as fit the figure's width (the figure must use constrained
    layout, which makes room for it). Without ``handles``, those of every axes, each label
    once. None when there is nothing to show."""
    if handles is None or labels is None:
        handles, labels = [], []
        for ax in fig.axes:
            for h, lab in zip(*ax.get_legend_handles_labels(), strict=True):
                if lab not in labels and not lab.startswith("_"):
                    handles.append(h)
                    labels.append(lab)
    if not handles:
        return None
    size = fontsize if isinstance(fontsize, float | int) else 9.0  # "small" is 8.3 points
    # An entry is its label (about 0.6 em a character) and the handle and padding (3.5 em).
    entry = (max(len(lab) for lab in labels) * 0.6 + 3.5) * size / 72.0
    ncols = max(1, min(len(labels), int(fig.get_figwidth() * 0.95 // entry)))
    return fig.legend(
        list(handles), list(labels), loc="outside lower center", ncols=ncols, fontsize=fontsize
    )
