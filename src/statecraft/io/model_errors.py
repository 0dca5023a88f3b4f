"""The models' error record that ships with Statecraft.

``scripts/fit_errors.py`` forecasts every issue of the DEU III development file with every
registered model and writes each model's errors, as shares of the issue's scale width, to
``src/statecraft/data/model-errors.json``. Reading that file is I/O, so it is done here, among
the readers; :mod:`statecraft.analysis.calibration` turns the record into intervals.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

__all__ = ["SHIPPED", "load_errors"]

#: Where the shipped error record lies, inside the package.
SHIPPED = "data/model-errors.json"


@cache
def load_errors() -> dict[str, Any]:
    """The error record shipped with the package (written by ``scripts/fit_errors.py``)."""
    text = resources.files("statecraft").joinpath(SHIPPED).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data
