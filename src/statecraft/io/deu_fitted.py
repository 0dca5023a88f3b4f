"""The DEU parameters that ship with Statecraft, and the capability rules by name.

``scripts/fit_deu.py`` fits the families of :mod:`statecraft.analysis.fitted` to the DEU III
development file and writes what they learnt to ``src/statecraft/data/deu-fitted.json``.
Reading that file is I/O, so it is done here, among the readers, and never by the analyses'
computations nor by the DEU reader: :func:`~statecraft.io.deu.read_deu` takes the rule
``fitted`` as a :class:`~statecraft.io.deu.CapabilityRule` built from the parameters
(:func:`fitted_rule`), which :func:`capability_rule` does for the parameters that ship.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

from statecraft.errors import ScenarioError
from statecraft.io.deu import CAPABILITIES, CapabilityRule

__all__ = ["RULES", "SHIPPED", "capability_rule", "fitted_rule", "load_fitted"]

#: Where the shipped parameters lie, inside the package.
SHIPPED = "data/deu-fitted.json"

#: Every capability rule that :func:`capability_rule` knows by name.
RULES = (*CAPABILITIES, "fitted")


@cache
def load_fitted() -> dict[str, Any]:
    """The parameters shipped with the package (fitted by ``scripts/fit_deu.py``)."""
    text = resources.files("statecraft").joinpath(SHIPPED).read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def fitted_rule(parameters: Mapping[str, float], *, source: str = "") -> CapabilityRule:
    """The capability rule ``fitted``: the member states by the Council votes of the era, and
    the Commission's and the Parliament's weights given by ``parameters`` (``commission``,
    ``ep_cod``, ``ep_cns``: the family ``capability`` of :mod:`statecraft.analysis.fitted`).

    A pure function: the parameters are passed in.

    Under co-decision on 26 January 2000 (EU-15, 87 Council votes, Germany's 10):

    >>> import datetime as dt
    >>> rule = fitted_rule({"commission": 0.5, "ep_cod": 1.0, "ep_cns": 0.0})
    >>> weights = rule.capabilities(["com", "ep", "de"], "COD", dt.date(2000, 1, 26))
    >>> {actor: round(w, 4) for actor, w in weights.items()}
    {'com': 0.5, 'ep': 1.0, 'de': 0.1149}
    """
    return CapabilityRule(
        "fitted",
        "Council votes by era; the Commission's and the Parliament's weights fitted to the "
        "DEU III development file (see docs/backtest.md)",
        commission=float(parameters["commission"]),
        ep_cod=float(parameters["ep_cod"]),
        ep_cns=float(parameters["ep_cns"]),
        source=source,
    )


def capability_rule(name: str | CapabilityRule) -> CapabilityRule:
    """A capability rule by name: one of :data:`statecraft.io.deu.CAPABILITIES`, or ``fitted``
    built from the parameters that ship (:func:`load_fitted`). A rule is returned as it is.

    Raises :class:`~statecraft.errors.ScenarioError` for an unknown name.
    """
    if isinstance(name, CapabilityRule):
        return name
    if name in CAPABILITIES:
        return CAPABILITIES[name]()
    if name == "fitted":
        parameters = load_fitted()["families"]["capability"]["parameters"]
        return fitted_rule(
            parameters, source=f"src/statecraft/{SHIPPED}, made by scripts/fit_deu.py"
        )
    raise ScenarioError(f"unknown capability rule {name!r}; the rules are: {', '.join(RULES)}")
