"""The ``shared`` marker: tests that read ``../shared/data`` (the external anchors: the DEU III
development file, KTAB's reference runs, the published EC file, decide's sample files).

On a plain clone, without that folder, a test marked ``shared`` skips with a message. In CI
(the environment variable ``CI`` set to ``true``, ``1`` or ``yes``, as ``.ci/run`` sets it) the
folder must be there: a ``shared`` test that skips there, for any reason, is reported as a
failure, so the anchors cannot vanish from CI without a red run (docs/testing.md, "External
anchors").

The folder is ``../shared/data`` beside the repository, or the folder that the environment
variable ``STATECRAFT_SHARED_DATA`` names. Registered by ``tests/conftest.py``
(``pytest_plugins``); ``tests/test_shared_marker.py`` runs it on made-up tests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def shared_data() -> Path:
    """The shared data folder these tests read (it may be absent)."""
    named = os.environ.get("STATECRAFT_SHARED_DATA")
    return Path(named) if named else ROOT.parent / "shared" / "data"


def in_ci() -> bool:
    """Whether this run is CI's: ``CI`` set to true, 1 or yes (any case)."""
    return os.environ.get("CI", "").strip().lower() in {"true", "1", "yes"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "shared: needs ../shared/data (skipped when absent)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    folder = shared_data()
    if folder.is_dir():
        return
    skip = pytest.mark.skip(reason=f"needs the shared data folder {folder}, which is absent")
    for item in items:
        if item.get_closest_marker("shared") is not None:
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()
    if not (report.skipped and in_ci() and item.get_closest_marker("shared") is not None):
        return
    if hasattr(report, "wasxfail"):  # an expected failure is not a vanished anchor
        return
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    report.outcome = "failed"
    report.longrepr = (
        f"{item.nodeid}: a test marked 'shared' skipped in CI (CI={os.environ.get('CI')}), "
        f"where the shared data must be present: {reason}"
    )
