"""Running code in a fresh interpreter (for the tests of what a step imports) or in a
forked child (for the tests of what survives mutmut's forks)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Mapping

import pytest


def loaded_in_child(
    code: str, modules: Iterable[str], *, env: Mapping[str, str] | None = None, timeout: int = 120
) -> set[str]:
    """Which of ``modules`` a fresh Python has imported after running ``code`` (which must
    succeed: its error output is shown otherwise)."""
    names = list(modules)
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {names!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=None if env is None else dict(env),
    )
    assert done.returncode == 0, done.stderr
    return set(done.stdout.split())


def in_forked_child(work: Callable[[], bool], what: str, limit: float = 60.0) -> None:
    """Run ``work`` in a child forked from this process, which exits 0 where it returns
    True (and without cleanup, as mutmut's children do); fail the test where it does not,
    or where the child has not finished in ``limit`` seconds (it is killed): ``what`` then
    names what did not finish."""
    pid = os.fork()
    if pid == 0:  # the child
        code = 1
        try:
            code = 0 if work() else 1
        finally:
            os._exit(code)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        time.sleep(0.1)
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        pytest.fail(f"{what} did not finish in {limit:g} s")
    assert os.waitstatus_to_exitcode(status) == 0
