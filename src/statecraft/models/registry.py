"""The registered models: one line each, ``"module:Class"``, in the order they are shown.

Registering a model is adding its line here; everything else (the command line, the web
app, the report, ``statecraft models``, the contract test) reads the registry.
"""

from __future__ import annotations

import importlib
from functools import cache

from statecraft.models.base import Model

__all__ = ["REGISTERED", "registered"]

REGISTERED: tuple[str, ...] = (
    "statecraft.models.compromise:Compromise",
    "statecraft.models.median:Median",
    "statecraft.models.nash:Nash",
    "statecraft.models.kalai_smorodinsky:KalaiSmorodinsky",
    "statecraft.models.expected_utility:ExpectedUtility",
    "statecraft.models.exchange:Exchange",
    "statecraft.models.spatial:Spatial",
)


@cache
def registered() -> dict[str, type[Model]]:
    """The registered model classes by name, in order (imported once)."""
    out: dict[str, type[Model]] = {}
    for entry in REGISTERED:
        module, _, attr = entry.partition(":")
        cls = getattr(importlib.import_module(module), attr)
        if not (isinstance(cls, type) and issubclass(cls, Model)):
            raise TypeError(f"{entry} is not a Model")
        if cls.name in out:
            raise ValueError(f"two registered models are named {cls.name!r}")
        out[cls.name] = cls
    return out
