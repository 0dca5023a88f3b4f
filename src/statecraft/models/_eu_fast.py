"""Which engine runs the expected utility round: the NumPy reference or the compiled loops.

:func:`compiled_round` gives what :func:`statecraft.models.eu_rounds.one_round` gives, from
:mod:`statecraft.models._eu_kernel` (numba). numba is imported only when a round runs.
The engine is ``"numba"`` where numba is installed, else ``"numpy"``; the environment
variable ``STATECRAFT_EU_ENGINE=numpy`` (or ``run_rounds(..., engine="numpy")``) picks the
reference.
"""

from __future__ import annotations

import importlib.util
import os
from typing import Literal

import numpy as np

from statecraft.models.eu_options import EUOptions

__all__ = ["Engine", "compiled_round", "resolve"]

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
        raise ValueError("the numba engine needs numba installed (pip install numba)")
    if engine not in ("numpy", "numba"):
        raise ValueError(f"unknown engine {engine!r}: auto, numpy or numba")
    return engine


_HAS: list[bool] = []


def _has_numba() -> bool:
    if not _HAS:
        _HAS.append(importlib.util.find_spec("numba") is not None)
    return _HAS[0]


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
    from statecraft.models._eu_kernel import batch_round

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
    batch_round(
        as_f(x, dtype=float),
        as_f(w, dtype=float),
        as_f(s, dtype=float),
        as_f(span, dtype=float),
        as_f(median, dtype=float),
        flags,
        numbers,
        new,
        risk,
        chosen,
        own,
        other,
        kind,
    )
    if not views:
        own = other = np.empty((b, 0, 0))
        kind = np.empty((b, 0, 0), dtype=np.int64)
    return new, risk, chosen, own, other, kind
