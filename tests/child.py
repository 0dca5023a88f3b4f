"""Running code in a fresh interpreter, for the tests of what a step imports."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterable, Mapping


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
