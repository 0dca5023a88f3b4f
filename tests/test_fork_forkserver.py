"""A process forked from one that started a forkserver process starts processes too.

``make mutation`` (mutmut) forks each mutant's test run from a process that has run every
test once, the web app's tests among them, whose workers start through multiprocessing's
forkserver. ``tests/conftest.py`` makes the child forget the parent's server; without that,
the child's first start raises ``ChildProcessError`` (and the web tests failed in every
mutant, whatever it changed)."""

from __future__ import annotations

import multiprocessing
import os
import time

import pytest

from tests.child import in_forked_child


def _start_one() -> int:
    """Start a process through the forkserver and return its exit code (0 when it ran)."""
    process = multiprocessing.get_context("forkserver").Process(target=time.sleep, args=(0,))
    process.start()
    process.join(60)
    return -1 if process.exitcode is None else process.exitcode


@pytest.mark.skipif(
    not hasattr(os, "fork") or "forkserver" not in multiprocessing.get_all_start_methods(),
    reason="needs os.fork and the forkserver start method (POSIX)",
)
def test_a_forked_child_starts_a_process_through_the_forkserver() -> None:
    assert _start_one() == 0  # the forkserver now runs, a child of this process
    in_forked_child(lambda: _start_one() == 0, "the forked child's process start")
    assert _start_one() == 0  # and the parent's server still works
