"""How many CPUs and threads this process may use: read by the compiled expected utility
round and by a study's blocks (:mod:`statecraft.analysis.parallel`)."""

from __future__ import annotations

import os

__all__ = ["threads_to_use", "usable_cpus"]


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity where the system says, else all)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not on every platform
        return max(1, os.cpu_count() or 1)


def threads_to_use() -> int:
    """Threads a step may run on: ``STATECRAFT_THREADS`` where set (a whole number from 1;
    the worker processes of ``--workers`` set it to 1, each being one CPU already), else the
    CPUs this process may run on (:func:`usable_cpus`)."""
    wanted = os.environ.get("STATECRAFT_THREADS", "").strip()
    if wanted:
        if not wanted.isdigit() or int(wanted) < 1:
            raise ValueError(f"STATECRAFT_THREADS must be a whole number from 1 (got {wanted!r})")
        return int(wanted)
    return usable_cpus()
