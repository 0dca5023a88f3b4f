"""The ensemble of a brief: model weights by a named rule, and mixtures of histograms.

The ensemble is a mixture: each draw's model is chosen at random, model m with probability
w_m. A probability over the mixture is the weighted mean of the models' probabilities,
sum_m w_m P_m; a quantile is read from the weighted sum of the models' histograms, each
normalised to 1 (the mixture's distribution, not a mean of the models' quantiles).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np

__all__ = ["WEIGHT_RULES", "WeightRule", "mixture", "model_weights", "quantile"]

#: A weight rule: the names of the models of an ensemble in, their weights out (any
#: non-negative numbers; they are normalised to sum to 1).
WeightRule = Callable[[Sequence[str]], Mapping[str, float]]


def _equal(models: Sequence[str]) -> Mapping[str, float]:
    """Every model the same weight."""
    return dict.fromkeys(models, 1.0)


def _backtest(models: Sequence[str]) -> Mapping[str, float]:
    """Each model weighted by the inverse of its out-of-fold CRPS on the DEU development
    file (the shipped error record, docs/calibration.md): a model whose predictive
    distributions were half as far from the outcomes counts twice as much."""
    from statecraft.analysis.calibration import error_record

    out = {}
    for m in models:
        record = error_record(m)
        crps = None if record is None else record.cross_validated.get("crps_share")
        if not crps:
            raise ValueError(
                f"the model {m!r} has no backtest record, so the 'backtest' weights cannot "
                "weigh it: use the 'equal' rule or give a weight per model"
            )
        out[m] = 1.0 / float(crps)
    return out


#: The weight rules by name (docs/brief.md).
WEIGHT_RULES: dict[str, WeightRule] = {"equal": _equal, "backtest": _backtest}


def model_weights(models: Sequence[str], weights: str | Mapping[str, float]) -> dict[str, float]:
    """The weights of ``models``, summing to 1: from a named rule (:data:`WEIGHT_RULES`) or
    given per model (every model run given one, none other, each finite and >= 0, some > 0).
    Raises ValueError saying what is wrong and what is allowed."""
    if isinstance(weights, str):
        rule = WEIGHT_RULES.get(weights)
        if rule is None:
            raise ValueError(
                f"unknown weight rule {weights!r}; the rules are: {', '.join(WEIGHT_RULES)} "
                "(or give a weight per model)"
            )
        raw = dict(rule(models))
    elif isinstance(weights, Mapping):
        raw = dict(weights)
    else:
        raise ValueError(
            f"weights must be a rule's name ({', '.join(WEIGHT_RULES)}) or a mapping from "
            f"model to weight, not {type(weights).__name__}"
        )
    extra = [m for m in raw if m not in models]
    if extra:
        raise ValueError(
            f"a weight is given for {extra[0]!r}, which is not among the models run "
            f"({', '.join(models)})"
        )
    missing = [m for m in models if m not in raw]
    if missing:
        raise ValueError(f"no weight given for the model {missing[0]!r}")
    for name, w in raw.items():
        if isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w) or w < 0:
            raise ValueError(f"the weight of {name!r} must be a finite number >= 0, not {w!r}")
    total = math.fsum(float(w) for w in raw.values())
    if total <= 0:
        raise ValueError("the weights are all 0: give at least one model a weight above 0")
    return {m: float(raw[m]) / total for m in models}


def mixture(histograms: Mapping[str, np.ndarray], weights: Mapping[str, float]) -> np.ndarray:
    """The weighted mixture of histograms (each normalised to sum to 1) over the models that
    have one with some draws, their weights renormalised; all zeros if none has."""
    used = {m: h for m, h in histograms.items() if float(h.sum()) > 0 and weights.get(m, 0) > 0}
    if not used:
        return np.zeros_like(next(iter(histograms.values()), np.zeros(1)), dtype=float)
    total = math.fsum(weights[m] for m in used)
    out = np.zeros(len(next(iter(used.values()))), dtype=float)
    for m, h in used.items():
        out += (weights[m] / total) * (h / float(h.sum()))
    return out


def quantile(counts: np.ndarray, q: float, low: float, high: float) -> float:
    """The q-quantile of a histogram over [low, high] (counts or weights), linear within
    the bin where it falls; NaN for an empty histogram."""
    cum = np.cumsum(np.asarray(counts, dtype=float))
    total = float(cum[-1]) if len(cum) else 0.0
    if total <= 0:
        return float("nan")
    target = q * total
    k = min(int(np.searchsorted(cum, target, side="left")), len(cum) - 1)
    before = float(cum[k - 1]) if k > 0 else 0.0
    inside = float(counts[k])
    frac = (target - before) / inside if inside > 0 else 0.0
    width = (high - low) / len(counts)  # first: (k + frac) * (high - low) overflows near 1e308
    return float(low + (k + min(max(frac, 0.0), 1.0)) * width)
