"""The ``shared`` marker's mechanism (tests/shared_marker.py), run on made-up test files: a
``shared`` test skips cleanly without the shared data outside CI, and fails when it skips in
CI, whatever made it skip."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED_DATA
from tests.shared_marker import shared_data

TESTS = """
import pytest

@pytest.mark.shared
def test_reads_the_shared_data():
    assert True

@pytest.mark.shared
def test_skips_itself():
    pytest.skip("the file it needs is not there")

@pytest.mark.shared
@pytest.mark.parametrize("path", [])
def test_over_no_files(path):
    assert path

def test_unmarked_skip():
    pytest.skip("not an anchor")

@pytest.mark.shared
@pytest.mark.xfail(reason="a known finding", strict=True)
def test_a_finding():
    assert False
"""


def _run(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, folder: Path, ci: str | None
) -> pytest.RunResult:
    monkeypatch.setenv("STATECRAFT_SHARED_DATA", str(folder))
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    pytester.makepyfile(test_made_up=TESTS)
    return pytester.runpytest_inprocess("-p", "tests.shared_marker", "-rA")


def test_without_the_folder_outside_ci_shared_tests_skip_with_a_message(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    absent = tmp_path / "no-such-folder"
    result = _run(pytester, monkeypatch, absent, ci=None)
    # the four shared tests and the unmarked one skip; nothing fails
    result.assert_outcomes(skipped=5, xfailed=0, passed=0, failed=0, errors=0)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines([f"*needs the shared data folder {absent}, which is absent*"])


@pytest.mark.parametrize("ci", ["true", "1", "YES"])
def test_without_the_folder_in_ci_every_shared_test_fails(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, ci: str
) -> None:
    absent = tmp_path / "no-such-folder"
    result = _run(pytester, monkeypatch, absent, ci=ci)
    # the four shared tests (the finding too) fail in their setup, where the marker's skip is
    # taken, so pytest counts them as errors; the unmarked skip stays a skip
    result.assert_outcomes(errors=4, failed=0, skipped=1, passed=0)
    result.stdout.fnmatch_lines(
        ["*a test marked 'shared' skipped in CI*needs the shared data folder*absent*"]
    )
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_with_the_folder_in_ci_a_shared_test_that_skips_still_fails(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    result = _run(pytester, monkeypatch, tmp_path, ci="true")
    # present: the plain test passes, the finding is an expected failure; the test that skips
    # itself fails, and so does the empty parametrization (no files found: an error in setup)
    result.assert_outcomes(passed=1, xfailed=1, failed=1, errors=1, skipped=1)
    result.stdout.fnmatch_lines(["*skipped in CI*the file it needs is not there*"])


def test_with_the_folder_outside_ci_skips_stay_skips(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    result = _run(pytester, monkeypatch, tmp_path, ci="false")
    result.assert_outcomes(passed=1, xfailed=1, skipped=3)


def test_the_suites_anchors_carry_the_marker() -> None:
    """Every test module that names the shared data folder marks its tests ``shared``
    (through ``requires_shared``), so that CI notices when they skip."""
    here = Path(__file__).parent
    optional = {"test_fuzz_readers.py"}  # adds the shared files to its examples when present
    for path in sorted(here.glob("test_*.py")):
        text = path.read_text(encoding="utf-8")
        if "SHARED_DATA" in text and path.name not in optional and path.name != Path(__file__).name:
            assert "requires_shared" in text or "mark.shared" in text, path.name
    assert shared_data() == SHARED_DATA
