"""Which engine runs the expected utility round: the NumPy reference or the compiled loops.

:func:`compiled_round` gives what :func:`statecraft.models.eu_rounds.one_round` gives, from
:mod:`statecraft.models._eu_kernel` (numba), through the entry points of
:mod:`statecraft.models._eu_trajectory`. numba is imported only when a round runs.
The engine is ``"numba"`` where numba is installed, else ``"numpy"``; the environment
variable ``STATECRAFT_EU_ENGINE=numpy`` (or ``run_rounds(..., engine="numpy")``) picks the
reference.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

import numpy as np

from statecraft._threads import threads_to_use
from statecraft.models.base import weights
from statecraft.models.compromise import weighted_mean
from statecraft.models.eu_options import EUOptions
from statecraft.models.median import weighted_median
from statecraft.models.numba_setup import engine_from_env, has_numba, load_numba_without_scipy

__all__ = ["Engine", "compiled_round", "compiled_summary", "resolve", "threads_to_use", "whole"]

Engine = Literal["auto", "numpy", "numba"]

_CHOICES = {"smallest": 0, "type": 1, "scholz": 2}


def resolve(engine: Engine = "auto") -> Literal["numpy", "numba"]:
    """The engine to run: ``"auto"`` is numba where it is installed (and not turned off by
    ``STATECRAFT_EU_ENGINE=numpy``), else NumPy."""
    if engine == "auto":
        if engine_from_env("STATECRAFT_EU_ENGINE") == "numpy":
            return "numpy"
        return "numba" if has_numba() else "numpy"
    if engine == "numba" and not has_numba():
        raise ValueError("the numba engine needs numba installed (pip install 'statecraft[fast]')")
    if engine not in ("numpy", "numba"):
        raise ValueError(f"unknown engine {engine!r}: auto, numpy or numba")
    return engine


#: Less work than this per thread (draws x actors^2: a few hundred microseconds) is not worth
#: a thread's start.
_MIN_PAIRS_PER_THREAD = 50_000

_POOLS: dict[tuple[int, int], ThreadPoolExecutor] = {}


def _pool(threads: int) -> ThreadPoolExecutor:
    """This process's pool of ``threads`` threads (a forked child makes its own)."""
    key = (os.getpid(), threads)
    if key not in _POOLS:
        _POOLS[key] = ThreadPoolExecutor(threads, thread_name_prefix="statecraft-eu")
    return _POOLS[key]


def _flags(o: EUOptions, views: bool, same_position: float) -> tuple[np.ndarray, np.ndarray]:
    flags = np.array(
        [
            o.probability == "triples",
            o.vote_risk,
            _CHOICES[o.offer_choice],
            views,
            o.better_worse == "target",
        ],
        dtype=np.int64,
    )
    numbers = np.array([o.q, -1.0 if o.t == "geometric" else float(o.t), same_position])
    return flags, numbers


def _split(b: int, work: int, part: Callable[[int, int], None]) -> None:
    """``part(lo, hi)`` over the draws [0, b), split over the threads where ``work``
    (draws x actors^2 x rounds) is worth it. Draws are independent and each part writes its
    own rows: the same result on any number of threads. The compiled code lets go of the GIL
    (nogil), so Python threads run it side by side."""
    threads = min(threads_to_use(), b, work // _MIN_PAIRS_PER_THREAD)
    if threads <= 1:
        part(0, b)
        return
    cuts = [b * k // threads for k in range(threads + 1)]
    for future in [_pool(threads).submit(part, lo, hi) for lo, hi in itertools.pairwise(cuts)]:
        future.result()


def whole(o: EUOptions, record: str) -> bool:
    """Whether :func:`compiled_summary` runs these options: a summary record, the rounds run
    to the end (``stopping="rounds"``) and q = 1 (the round's forecast then plays no part in
    the round)."""
    return record == "summary" and o.stopping == "rounds" and o.q == 1.0


def compiled_summary(
    x: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    order: np.ndarray,
    o: EUOptions,
    same_position: float,
) -> dict[str, np.ndarray]:
    """``run_rounds(..., record="summary")`` for the options :func:`whole` takes, on actors
    in canonical order (``order``: the caller's index of each), each draw's every round in
    one compiled call (:func:`statecraft.models._eu_trajectory.trajectories`); the medians and
    means of every round are taken afterwards, all at once, as the per-round path takes them
    (the same numbers: each row is reduced alone)."""
    load_numba_without_scipy()
    from statecraft.models import _eu_trajectory

    run: Any = _eu_trajectory.trajectories  # a numba dispatcher, untyped to mypy

    b, n = x.shape
    w = weights(c, s)
    flags, numbers = _flags(o, True, same_position)
    positions = np.empty((b, o.rounds + 1, n))
    ran = np.zeros(b, dtype=np.int64)
    final_own, final_other = np.empty((b, n, n)), np.empty((b, n, n))
    final_kind = np.empty((b, n, n), dtype=np.int64)
    inputs = [np.ascontiguousarray(a, dtype=float) for a in (x, w, s)]
    order = np.ascontiguousarray(order, dtype=np.int64)
    current = o.range == "current"

    def part(lo: int, hi: int) -> None:
        run(
            *[a[lo:hi] for a in inputs], order[lo:hi], current, flags, numbers,
            *[a[lo:hi] for a in (positions, ran, final_own, final_other, final_kind)],
        )  # fmt: skip

    _split(b, b * n * n * (o.rounds + 1), part)
    t = int(ran.max()) if b else 0
    path = positions[:, : t + 1]
    median = weighted_median(path, w[:, None, :])
    inverse = np.argsort(order, axis=-1)
    return {
        "positions": np.take_along_axis(path, inverse[:, None, :], axis=-1),
        "median": median,
        "mean": weighted_mean(path, c[:, None, :], s[:, None, :]),
        "rounds": ran,
        "forecast": np.ascontiguousarray(median[:, -1]),
        "final_own": final_own,
        "final_other": final_other,
        "final_kind": final_kind,
    }


def compiled_round(
    x: np.ndarray,
    w: np.ndarray,
    s: np.ndarray,
    span: np.ndarray,
    median: np.ndarray,
    o: EUOptions,
    same_position: float,
    *,
    views: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One round on a batch, compiled, given the weights ``w`` (:func:`~statecraft.models.base.
    weights`) and the round's median: new positions, risk, chosen (B, n) and, with
    ``views``, own, other and kind (B, n, n) (else empty (B, 0, 0) arrays)."""
    load_numba_without_scipy()
    from statecraft.models import _eu_trajectory

    batch_round: Any = _eu_trajectory.batch_round  # a numba dispatcher, untyped to mypy

    b, n = x.shape
    as_f = np.ascontiguousarray
    flags, numbers = _flags(o, views, same_position)
    new = np.empty((b, n))
    risk = np.empty((b, n))
    chosen = np.empty((b, n), dtype=np.int64)
    shape = (b, n, n) if views else (1, 1, 1)
    own, other = np.empty(shape), np.empty(shape)
    kind = np.empty(shape, dtype=np.int64)
    inputs = [as_f(a, dtype=float) for a in (x, w, s, span, median)]

    def part(lo: int, hi: int) -> None:
        ins = [a[lo:hi] for a in inputs]
        views_out = [a[lo:hi] for a in (own, other, kind)] if views else [own, other, kind]
        batch_round(*ins, flags, numbers, new[lo:hi], risk[lo:hi], chosen[lo:hi], *views_out)

    _split(b, b * n * n, part)
    if not views:
        own = other = np.empty((b, 0, 0))
        kind = np.empty((b, 0, 0), dtype=np.int64)
    return new, risk, chosen, own, other, kind
