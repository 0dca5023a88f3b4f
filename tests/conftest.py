"""Shared fixtures: a small valid scenario as data, file writers, and the shared data folder."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"

requires_shared = pytest.mark.skipif(
    not SHARED_DATA.is_dir(),
    reason=f"needs the shared data folder {SHARED_DATA}, which is absent",
)

TINY: dict[str, Any] = {
    "name": "tiny",
    "title": "A tiny test scenario",
    "issues": [
        {
            "id": "tax",
            "label": "Tax rate",
            "scale": {"low": 0, "high": 100, "low_meaning": "no tax", "high_meaning": "all"},
            "status_quo": 20,
            "actual": 40,
        },
        {"id": "date", "label": "Start date", "scale": {"low": 0, "high": 10}},
    ],
    "actors": [
        {
            "id": "a",
            "name": "Alpha",
            "capability": {"value": 3, "source": "test", "note": "the strongest"},
            "roles": ["belligerent"],
            "stances": {
                "tax": {"position": 60, "salience": 1.0},
                "date": {"position": 2, "salience": 0.5},
            },
        },
        {
            "id": "b",
            "name": "Beta",
            "capability": 1,
            "stances": {
                "tax": {"position": 0, "salience": 0.5},
                "date": {"position": 8, "salience": 1.0},
            },
        },
        {
            "id": "c",
            "capability": 2,
            "stances": {"tax": {"position": 100, "salience": 0.25, "capability": 4}},
        },
    ],
}


@pytest.fixture
def tiny() -> dict[str, Any]:
    """A fresh deep copy of the tiny scenario's data, free to mutate."""
    return copy.deepcopy(TINY)


@pytest.fixture
def write_yaml(tmp_path: Path) -> Callable[[Any, str], Path]:
    def write(data: Any, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        return path

    return write
