"""The built wheel carries everything it needs, and ``python -m statecraft`` works.

The wheel is built from this checkout (hatchling, no network), installed without its
dependencies into a fresh virtual environment that borrows this environment's packages (numpy,
pydantic...) but not its editable Statecraft, and run from a directory outside the checkout.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

import statecraft as sc

ROOT = Path(__file__).resolve().parents[1]
# What a forecast, a patch, a report and the web app read at run time.
PACKAGE_DATA = (
    "statecraft/scenarios/karabakh-2020.yaml",
    "statecraft/scenarios/ec-emissions-1994.yaml",
    "statecraft/scenarios/patches/karabakh-2020/west-engaged.yaml",
    "statecraft/data/model-errors.json",
    "statecraft/data/deu-fitted.json",
    "statecraft/py.typed",
)


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("dist")
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(out), str(ROOT)],
        cwd=ROOT,
    )  # fmt: skip
    (built,) = out.glob("statecraft-*.whl")
    return built


def test_wheel_carries_the_package_data(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [name for name in PACKAGE_DATA if name not in names]
    assert not missing, missing
    # Templates and the web page: whatever the checkout has, the wheel has.
    for folder in ("report/templates", "web/static"):
        shipped = {
            str(p.relative_to(ROOT / "src")) for p in (ROOT / "src/statecraft" / folder).rglob("*")
        }
        files = {p for p in shipped if (ROOT / "src" / p).is_file() and "__pycache__" not in p}
        assert files, folder
        assert files <= names, sorted(files - names)


def test_installed_wheel_forecasts_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "env"
    _run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], cwd=tmp_path)
    python = env_dir / "bin" / "python"
    site = Path(
        _run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
             cwd=tmp_path).strip()
    )  # fmt: skip
    # This environment's third-party packages, as a plain path: its .pth files (the editable
    # Statecraft among them) are not processed, so only the wheel provides `statecraft`.
    (site / "_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    _run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps",
         "--no-index", str(wheel)],
        cwd=tmp_path,
    )  # fmt: skip
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    where = _run([str(python), "-c", "import statecraft; print(statecraft.__file__)"], work, env)
    assert Path(where.strip()).is_relative_to(site), where
    data = json.loads(
        _run([str(python), "-m", "statecraft", "forecast", "karabakh-2020", "-f", "json"],
             work, env)
    )  # fmt: skip
    territory = data["issues"]["territory"]
    # The shipped scenario arrived whole: the installed package gives what this checkout gives.
    here = sc.forecast("karabakh-2020")
    status_quo = here.scenario.issue("territory").status_quo
    assert status_quo is not None
    assert territory["status_quo"] == status_quo.value
    assert territory["forecast"]["compromise"] == pytest.approx(
        here.value("territory", "compromise")
    )
    # The console script too.
    version = _run([str(env_dir / "bin" / "statecraft"), "--version"], work, env)
    assert version.startswith("statecraft ")
