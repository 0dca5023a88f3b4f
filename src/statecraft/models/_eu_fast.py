"""Which engine runs the expected utility round: the NumPy reference or the compiled loops.

:func:`compiled_round` gives what :func:`statecraft.models.eu_rounds.one_round` gives, from
:mod:`statecraft.models._eu_kernel` (numba). numba is imported only when a round runs.
The engine is ``"numba"`` where numba is installed, else ``"numpy"``; the environment
variable ``STATECRAFT_EU_ENGINE=numpy`` (or ``run_rounds(..., engine="numpy")``) picks the
reference.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Literal

import numpy as np

from statecraft.models.eu_options import EUOptions

__all__ = ["Engine", "compiled_round", "resolve", "threads_to_use"]

Engine = Literal["auto", "numpy", "numba"]

_CHOICES = {"smallest": 0, "type": 1, "scholz": 2}


def resolve(engine: Engine = "auto") -> Literal["numpy", "numba"]:
    """The engine to run: ``"auto"`` is numba where it is installed (and not turned off by
    ``STATECRAFT_EU_ENGINE=numpy``), else NumPy."""
    if engine == "auto":
        wanted = os.environ.get("STATECRAFT_EU_ENGINE", "").strip().lower()
        if wanted == "numpy":
            return "numpy"
        return "numba" if _has_numba() else "numpy"
    if engine == "numba" and not _has_numba():
        raise ValueError("the numba engine needs numba installed (pip install 'statecraft[fast]')")
    if engine not in ("numpy", "numba"):
        raise ValueError(f"unknown engine {engine!r}: auto, numpy or numba")
    return engine


_HAS: list[bool] = []


def _has_numba() -> bool:
    if not _HAS:
        _HAS.append(importlib.util.find_spec("numba") is not None)
    return _HAS[0]


#: Less work than this per thread (draws x actors^2: a few hundred microseconds) is not worth
#: a thread's start.
_MIN_PAIRS_PER_THREAD = 50_000

_POOLS: dict[tuple[int, int], ThreadPoolExecutor] = {}


def threads_to_use() -> int:
    """Threads the compiled round runs on: ``STATECRAFT_THREADS`` where set (a whole number
    from 1; the worker processes of ``--workers`` set it to 1, each being one CPU already),
    else the CPUs this process may run on."""
    wanted = os.environ.get("STATECRAFT_THREADS", "").strip()
    if wanted:
        if not wanted.isdigit() or int(wanted) < 1:
            raise ValueError(f"STATECRAFT_THREADS must be a whole number from 1 (got {wanted!r})")
        return int(wanted)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on every platform
        return max(1, os.cpu_count() or 1)


def _pool(threads: int) -> ThreadPoolExecutor:
    """This process's pool of ``threads`` threads (a forked child makes its own)."""
    key = (os.getpid(), threads)
    if key not in _POOLS:
        _POOLS[key] = ThreadPoolExecutor(threads, thread_name_prefix="statecraft-eu")
    return _POOLS[key]


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
    from statecraft.models import _eu_kernel

    batch_round: Any = _eu_kernel.batch_round  # a numba dispatcher, untyped to mypy

    b, n = x.shape
    as_f = np.ascontiguousarray
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

    threads = min(threads_to_use(), b, b * n * n // _MIN_PAIRS_PER_THREAD)
    if threads <= 1:
        part(0, b)
    else:
        # Draws are independent and each thread writes its own rows: the same result on any
        # number of threads. The compiled round lets go of the GIL (nogil), so Python threads
        # run it side by side.
        cuts = [b * k // threads for k in range(threads + 1)]
        for future in [_pool(threads).submit(part, lo, hi) for lo, hi in itertools.pairwise(cuts)]:
            future.result()
    if not views:
        own = other = np.empty((b, 0, 0))
        kind = np.empty((b, 0, 0), dtype=np.int64)
    return new, risk, chosen, own, other, kind
