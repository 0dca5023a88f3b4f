"""The uncertain numbers of a scenario and their draws.

Every number with a range (``{value, low, high, dist}``, or the scenario's ``perturb``) is
an uncertain input. An issue's actual outcome with a range of its own is one too (drawn
last, so that it changes no other number's draws; ``perturb`` gives it none: it is an
observation, not a coding); no model reads it, the winners against the actual do.

Block k of a study draws them all from its own generator,
``numpy.random.Generator(PCG64(SeedSequence(seed, spawn_key=(k,))))``, so that a block's
draws are the same in any process.
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from statecraft.arrays import Kind, input_key
from statecraft.models.numba_setup import engine_from_env, has_numba, load_numba_without_scipy
from statecraft.scenario import Quantity, Scenario

__all__ = [
    "COMPILED_FROM",
    "UncertainInput",
    "compiled_pays",
    "draw_block",
    "input_key",
    "sample",
    "uncertain_inputs",
]


@dataclass(frozen=True)
class UncertainInput:
    """One uncertain number of a scenario and its distribution over [low, high]."""

    key: str  # "turkey:territory:salience", "russia:capability", "territory:status_quo"
    kind: Kind
    actor: str | None
    issue: str | None
    value: float
    low: float
    high: float
    dist: str
    bounds: tuple[float, float]  # what the number may be at all (scale, 0..1, >0)


def _allowed(kind: Kind, scale: tuple[float, float]) -> tuple[float, float]:
    if kind in ("position", "status_quo", "actual"):
        return scale
    if kind == "salience":
        return (0.0, 1.0)
    return (np.finfo(float).tiny, np.inf)


def _input(
    scenario: Scenario,
    q: Quantity,
    key: str,
    kind: Kind,
    actor: str | None,
    issue: str | None,
    scale: tuple[float, float],
) -> UncertainInput | None:
    bounds = _allowed(kind, scale)
    if q.low is not None and q.high is not None:
        low, high, dist = q.low, q.high, q.dist or "triangular"
    elif scenario.perturb is not None:
        r = scenario.perturb.relative
        spread = r * (scale[1] - scale[0]) if kind in ("position", "status_quo") else r * q.value
        low = max(q.value - spread, bounds[0])
        high = min(q.value + spread, bounds[1], _LARGEST)
        dist = scenario.perturb.dist
    else:
        return None
    if high <= low:
        return None
    return UncertainInput(key, kind, actor, issue, q.value, low, high, dist, bounds)


def uncertain_inputs(scenario: Scenario, *, actual: bool = True) -> list[UncertainInput]:
    """Every number of the scenario that carries a range, in a fixed order: the coded
    numbers, then (with ``actual``) the actual outcomes that carry a range of their own."""
    out: list[UncertainInput] = []
    for issue in scenario.issues:
        if issue.status_quo is not None:
            scale = (issue.scale.low, issue.scale.high)
            item = _input(
                scenario,
                issue.status_quo,
                input_key("status_quo", None, issue.id),
                "status_quo",
                None,
                issue.id,
                scale,
            )
            if item:
                out.append(item)
    for actor in scenario.actors:
        item = _input(
            scenario,
            actor.capability,
            input_key("capability", actor.id, None),
            "capability",
            actor.id,
            None,
            (0, 0),
        )
        if item:
            out.append(item)
        for issue_id, stance in actor.stances.items():
            sc = scenario.issue(issue_id).scale
            scale = (sc.low, sc.high)
            numbers: tuple[tuple[Kind, Quantity | None], ...] = (
                ("position", stance.position),
                ("salience", stance.salience),
                ("capability", stance.capability),
            )
            for kind, q in numbers:
                if q is None:
                    continue
                item = _input(
                    scenario,
                    q,
                    input_key(kind, actor.id, issue_id),
                    kind,
                    actor.id,
                    issue_id,
                    scale,
                )
                if item:
                    out.append(item)
    if actual:
        for issue in scenario.issues:
            q = issue.actual
            if q is not None and q.uncertain and q.low is not None and q.high is not None:
                scale = (issue.scale.low, issue.scale.high)
                key = input_key("actual", None, issue.id)
                dist = q.dist or "triangular"
                item = UncertainInput(
                    key, "actual", None, issue.id, q.value, q.low, q.high, dist, scale
                )
                out.append(item)
    return out


#: The largest finite float: a capability near it perturbed upward stops there.
_LARGEST = float(np.finfo(float).max)

#: Inputs whose range reaches past 2**SAFE_EXPONENT (or lies within 2**-SAFE_EXPONENT of 0)
#: are drawn on the range scaled by a power of two, and scaled back (:func:`sample`).
SAFE_EXPONENT = 500


def sample(item: UncertainInput, rng: np.random.Generator, size: int) -> np.ndarray:
    """``size`` draws of one input (:func:`_sample`). A range near 1e308 (or 1e-300) is
    drawn scaled by a power of two into [0.5, 1) and scaled back, exactly as it would be
    drawn (the same numbers from the generator) without the overflow of products of widths
    (NumPy's triangular multiplies two of them)."""
    e = _exponent(item)
    if -SAFE_EXPONENT < e <= SAFE_EXPONENT:
        return _sample(item, rng, size)
    small = replace(
        item,
        low=math.ldexp(item.low, -e),
        high=math.ldexp(item.high, -e),
        value=math.ldexp(item.value, -e),
    )
    return np.asarray(np.ldexp(_sample(small, rng, size), e))


def _exponent(item: UncertainInput) -> int:
    """The power of two of the larger end of an input's range (0 for a range at 0)."""
    top = max(abs(item.low), abs(item.high))
    return int(np.frexp(top)[1]) if top > 0 else 0


def _sample(item: UncertainInput, rng: np.random.Generator, size: int) -> np.ndarray:
    """``size`` draws of one input.

    - triangular: low, mode at the value, high;
    - uniform: flat on [low, high];
    - normal: centred on the value with standard deviation (high - low) / 4, truncated to
      [low, high] by redrawing what falls outside (so an off-centre value's mean moves
      toward the middle of the range);
    - beta: the PERT beta on [low, high] with its mode at the value,
      a = 1 + 4 (value - low) / (high - low), b = 1 + 4 (high - value) / (high - low).
    """
    low, high, mode = item.low, item.high, item.value
    if item.dist == "uniform":
        return rng.uniform(low, high, size)
    if item.dist == "normal":
        sd = (high - low) / 4.0
        lo, hi = low, high
        x = rng.normal(mode, sd, size)
        bad = (x < lo) | (x > hi)
        while bad.any():
            x[bad] = rng.normal(mode, sd, int(bad.sum()))
            bad = (x < lo) | (x > hi)
        return x
    if item.dist == "beta":
        width = high - low
        a = 1.0 + 4.0 * (mode - low) / width
        b = 1.0 + 4.0 * (high - mode) / width
        return low + width * rng.beta(a, b, size)
    return rng.triangular(low, mode, high, size)


def _generator(seed: int, block: int) -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block,))))


def draw_block(
    scenario: Scenario,
    inputs: Sequence[UncertainInput],
    seed: int,
    block: int,
    size: int,
    *,
    compiled: bool = False,
) -> dict[str, np.ndarray]:
    """The draws of one block: ``{input key: values (size,)}``, always the same for a seed.
    ``compiled`` (where numba is installed) maps the triangular and uniform inputs in one
    compiled pass (:mod:`statecraft.analysis._triangular`): the same bytes, faster on many
    draws; :func:`compiled_pays` says when."""
    rng = _generator(seed, block)
    # One array for the block's draws (rows of it), not one per input: the same numbers,
    # with fewer allocations to fault in block after block
    out = np.empty((len(inputs), size))
    if compiled and has_numba():
        _draw_compiled(inputs, rng, out)
    else:
        for row, item in zip(out, inputs, strict=True):
            row[...] = sample(item, rng, size)
    return {item.key: row for row, item in zip(out, inputs, strict=True)}


#: The number of draws (draws x uncertain inputs) from which a study's blocks draw through
#: the compiled map, where numba is installed: importing numba and loading the compiled
#: loop takes about 0.5 s, and the map saves about 9 ns a triangular draw.
COMPILED_FROM = 50_000_000


def compiled_pays(draws: int, n_inputs: int) -> bool:
    """Whether a study of ``draws`` draws of ``n_inputs`` inputs draws through the compiled
    map: with ``STATECRAFT_DRAW_ENGINE=numpy`` never, with ``=numba`` always (where numba
    is installed); else from :data:`COMPILED_FROM` draws, or whenever numba is loaded
    already (another model compiled). Either way the draws are the same bytes."""
    wanted = engine_from_env("STATECRAFT_DRAW_ENGINE")
    if wanted == "numpy" or not has_numba():
        return False
    if wanted == "numba" or _numba_loaded():
        return True
    return draws * n_inputs >= COMPILED_FROM


def _numba_loaded() -> bool:
    return "numba" in sys.modules


def _mapped(item: UncertainInput) -> bool:
    """Whether the compiled map draws this input: triangular or uniform, on a range drawn
    as it is (:func:`sample` rescales the others)."""
    return (
        item.dist in ("triangular", "uniform") and -SAFE_EXPONENT < _exponent(item) <= SAFE_EXPONENT
    )


def _draw_compiled(
    inputs: Sequence[UncertainInput], rng: np.random.Generator, out: np.ndarray
) -> None:
    """Fill ``out`` (inputs x draws) as :func:`sample` would, row after row from ``rng``:
    each run of consecutive mapped inputs takes its doubles in one ``rng.random`` call and
    is mapped in place; the others are drawn by :func:`sample` in their turn."""
    load_numba_without_scipy()
    from statecraft.analysis._triangular import map_rows

    runs, kinds, low, mode, high = _map_plan(tuple(inputs))
    for r, end in runs:
        if end is None:  # an input the map does not draw
            out[r] = sample(inputs[r], rng, out.shape[1])
            continue
        rng.random(out=out[r:end])
        map_rows(out[r:end], kinds[r:end], low[r:end], mode[r:end], high[r:end])


@functools.lru_cache(maxsize=8)
def _map_plan(
    inputs: tuple[UncertainInput, ...],
) -> tuple[list[tuple[int, int | None]], np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """How :func:`_draw_compiled` draws a study's inputs, worked out once per study: the runs
    of mapped inputs as (first, end) and the others as (row, None), in order, and each
    input's kind and numbers for the map."""
    from statecraft.analysis._triangular import TRIANGULAR, UNIFORM

    runs: list[tuple[int, int | None]] = []
    r, n = 0, len(inputs)
    while r < n:
        if not _mapped(inputs[r]):
            runs.append((r, None))
            r += 1
            continue
        end = r
        while end < n and _mapped(inputs[end]):
            end += 1
        runs.append((r, end))
        r = end
    kinds = np.array([UNIFORM if i.dist == "uniform" else TRIANGULAR for i in inputs])
    low = np.array([i.low for i in inputs], dtype=float)
    mode = np.array([i.value for i in inputs], dtype=float)
    high = np.array([i.high for i in inputs], dtype=float)
    return runs, kinds, low, mode, high
