"""Loading numba's NumPy support without SciPy, for every compiled path of the package.

numba's first compiled call in a process (even one loaded from its cache) imports
``numba.np.arraymath``, which imports ``scipy.linalg`` (0.12 to 0.15 s here) only to learn
whether a BLAS is there for the inner products of ``np.convolve`` and ``np.correlate`` in
compiled code. No compiled code of Statecraft uses them (the expected utility round,
:mod:`statecraft.models._eu_kernel`; the draw map, :mod:`statecraft.analysis._triangular`),
so :func:`load_numba_without_scipy` marks that module absent while that one import runs;
numba then takes those inner products with a plain loop in this process, and its linear
algebra (``np.dot``, ``np.linalg``) still imports SciPy itself where some compiled code asks
for it.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import sys
from typing import Literal

__all__ = ["engine_from_env", "has_numba", "load_numba_without_scipy"]

Choice = Literal["auto", "numpy", "numba"]


@functools.cache
def has_numba() -> bool:
    """Whether numba is installed (looked up once, without importing it)."""
    return importlib.util.find_spec("numba") is not None


def engine_from_env(variable: str) -> Choice:
    """The engine an environment variable (``STATECRAFT_EU_ENGINE``,
    ``STATECRAFT_DRAW_ENGINE``) asks for: ``numpy``, ``numba``, or ``auto`` where it is
    unset or empty (case and spaces ignored); any other value is refused (ValueError)."""
    raw = os.environ.get(variable, "")
    wanted = raw.strip().lower() or "auto"
    if wanted not in ("auto", "numpy", "numba"):
        raise ValueError(f"{variable} must be numpy, numba or auto (got {raw!r})")
    return wanted  # type: ignore[return-value]  # one of the three, checked above


_BLAS = "scipy.linalg.cython_blas"


def load_numba_without_scipy() -> None:
    """Import ``numba.np.arraymath`` without SciPy's BLAS, once, before the first compiled
    call. Nothing is done where either module is loaded already."""
    if "numba.np.arraymath" in sys.modules or _BLAS in sys.modules:
        return
    sys.modules[_BLAS] = None  # type: ignore[assignment]  # import of it fails at once
    try:
        import numba.np.arraymath  # noqa: F401
    finally:
        del sys.modules[_BLAS]
