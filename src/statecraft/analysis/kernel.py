"""One evaluation kernel: every analysis runs its models through :func:`evaluate`.

The forecast, Monte Carlo studies, sensitivity, counterfactuals, the backtest and the fitted
families all hand the kernel a :class:`~statecraft.arrays.Batch` and a list of models (names
or instances, :func:`statecraft.models.build_models`). The kernel gives each model its own
generator, sub-seeded from the caller's seed, the block and the model's name, so that a
stochastic model draws the same numbers whatever other models run beside it; and it runs a
batch in chunks sized from a memory budget and the model's declared cost
(:meth:`~statecraft.models.Model.memory_per_draw`), so that no chunk of any model grows past
:data:`MEMORY_BUDGET` however many actors and issues a scenario has.
"""

from __future__ import annotations

import os
import resource
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from statecraft.arrays import Batch
from statecraft.errors import MemoryLimitError
from statecraft.models import Model, Output, PerIssue
from statecraft.models.rows import max_last

__all__ = [
    "DEFAULT_MEMORY",
    "MEMORY_BUDGET",
    "MIN_MEMORY",
    "check_budget",
    "check_memory",
    "chunk_size",
    "chunks",
    "draws_per_block",
    "evaluate",
    "in_safe_range",
    "input_bytes",
    "memory_limit",
    "memory_option",
    "model_generator",
    "parse_memory",
    "peak_memory",
    "study_shares",
]

#: Bytes a chunk of draws may take at its peak, for any model: half the default budget.
MEMORY_BUDGET = 256 * 2**20

#: The memory budget of a Monte Carlo study by default (``--memory``, ``memory=``): half for
#: a block of drawn inputs, half for a model's chunk of draws (:func:`study_shares`).
DEFAULT_MEMORY = 2 * MEMORY_BUDGET

#: The smallest budget taken: below it a block would hold a handful of draws and the
#: interpreter's own memory (tens of MiB) would dwarf it.
MIN_MEMORY = 2**20


#: What a model that declares itself deterministic is given: it never draws from it (the
#: contract test checks that a model's seed matters exactly when it declares ``stochastic``),
#: so it need not cost a fresh generator per block.
_DETERMINISTIC = np.random.Generator(np.random.PCG64(0))


def model_generator(seed: int, block: int, model: Model) -> np.random.Generator:
    """The generator of one model in one block of a study: from ``seed``, the block's index
    and a stable hash of the model's name (never Python's salted ``hash``). A model that
    does not declare itself ``stochastic`` gets one shared generator it never draws from."""
    if not model.stochastic:
        return _DETERMINISTIC
    key = zlib.crc32(model.name.encode("utf-8"))
    return np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(block, key)))
    )


def input_bytes(n_actors: int, n_issues: int) -> int:
    """Bytes of one draw of the inputs: the batch's arrays and the drawn numbers."""
    return 8 * (7 * max(1, n_actors) * max(1, n_issues) + 2 * max(1, n_actors + n_issues))


def draws_per_block(n_actors: int, n_issues: int, most: int, budget: int = MEMORY_BUDGET) -> int:
    """How many draws of a scenario's inputs fit the budget, at most ``most``."""
    return int(max(1, min(most, budget // input_bytes(n_actors, n_issues))))


def chunk_size(model: Model, n_actors: int, n_issues: int, budget: int = MEMORY_BUDGET) -> int:
    """The most draws one call of ``model`` takes: what the budget leaves beside the model's
    one run (:meth:`~statecraft.models.Model.run_memory`), over its declared memory per
    draw and the draw's inputs; at least 1."""
    per = model.memory_per_draw(n_actors, n_issues) + input_bytes(n_actors, n_issues)
    room = budget - model.run_memory(n_actors, n_issues)
    return int(max(1, room // max(1, per)))


def _size(text: str) -> int:
    """Bytes from ``2000000000``, ``512M``, ``2G`` or ``1.5GiB``."""
    units = {"": 1, "K": 2**10, "M": 2**20, "G": 2**30, "T": 2**40, "P": 2**50, "E": 2**60}
    t = text.strip().upper().removesuffix("B").removesuffix("I")
    unit = t[-1:] if t[-1:] in units else ""
    value = float(t.removesuffix(unit)) * units[unit]
    if not 0 < value < 2**63:  # NaN, infinity, 0 and negative sizes are no limit at all
        raise ValueError(text)
    return int(value)


def _count(n: int, noun: str) -> str:
    """``1 actor``, ``1,200 actors``."""
    return f"{n:,} {noun}" + ("" if n == 1 else "s")


def _model_on(name: str, n_actors: int, n_issues: int) -> str:
    """``the spatial model on 300 actors x 1 issue``: how the memory refusals name a study."""
    return f"the {name} model on {_count(n_actors, 'actor')} x {_count(n_issues, 'issue')}"


def parse_memory(value: int | str | None, what: str = "the memory budget") -> int:
    """A memory budget in bytes from ``value``: None (the default, :data:`DEFAULT_MEMORY`),
    a whole number of bytes, or text such as ``512M``, ``2G``, ``1.5GiB`` or ``800MB``
    (units K, M, G, T, P, E, powers of 1024). Raises ValueError saying what is allowed for
    anything else: not a size, an unknown unit, 0 or below, not finite, under
    :data:`MIN_MEMORY` (1 MiB) or from 8 EiB up."""
    if value is None:
        return DEFAULT_MEMORY
    allowed = (
        f"{what} must be a size such as 512M, 2G or 1.5GiB (units K, M, G, T, P, E: powers of "
        "1024; a bare number is bytes), from 1 MiB to below 8 EiB"
    )
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"{allowed} (got {value!r}, a {type(value).__name__})")
    try:
        size = value if isinstance(value, int) else _size(value)
    except (ValueError, KeyError, IndexError, OverflowError):
        raise ValueError(f"{allowed} (got {value!r})") from None
    if not MIN_MEMORY <= size < 2**63:
        raise ValueError(f"{allowed} (got {value!r}: {size:,} byte{'' if size == 1 else 's'})")
    return int(size)


def study_shares(memory: int) -> tuple[int, int]:
    """How a study's budget is spent: bytes for a block of drawn inputs and bytes for one
    model's chunk of draws (half each; the default budget gives each :data:`MEMORY_BUDGET`)."""
    return memory // 2, memory - memory // 2


def memory_limit() -> tuple[int, str] | None:
    """The most memory one computation may take, and where that figure comes from: the
    ``STATECRAFT_MEMORY`` environment variable (bytes, or with K, M, G), else the process's
    own address-space limit (``ulimit -v``, which the web app's workers set), else the
    memory this machine has available now (``MemAvailable`` in ``/proc/meminfo``); None
    where none is known."""
    given = os.environ.get("STATECRAFT_MEMORY", "").strip()
    if given:
        try:
            return _size(given), "STATECRAFT_MEMORY"
        except (ValueError, KeyError):
            raise MemoryLimitError(
                "STATECRAFT_MEMORY must be a positive size such as 4G or 512M, below 8 EiB "
                f"(got {given!r})"
            ) from None
    soft = resource.getrlimit(resource.RLIMIT_AS)[0]
    if soft != resource.RLIM_INFINITY:
        return soft, "the process's memory limit"
    try:
        with open("/proc/meminfo", encoding="ascii") as lines:
            for line in lines:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024, "the memory this machine has free"
    except OSError:
        pass
    return None


def peak_memory(
    model: Model, n_actors: int, n_issues: int, draws: int, budget: int = MEMORY_BUDGET
) -> int:
    """Bytes one call of ``model`` on ``draws`` draws needs at its peak, beyond the batch
    it is given: a chunk's draws (:func:`chunk_size` of ``budget``) and one run
    (:meth:`Model.run_memory`)."""
    chunk = min(draws, chunk_size(model, n_actors, n_issues, budget))
    return model.run_memory(n_actors, n_issues) + chunk * (
        model.memory_per_draw(n_actors, n_issues) + input_bytes(n_actors, n_issues)
    )


def _gib(n: float) -> str:
    return f"{n / 2**30:,.1f} GiB" if n >= 2**30 else f"{n / 2**20:,.0f} MiB"


def memory_option(need: int) -> str:
    """The smallest ``--memory`` that holds ``need`` bytes, as the option is written: whole
    MiB rounded up (at least 1M), or from 1 GiB tenths of a GiB rounded up."""
    if need > 2**30:
        tenths = -(-need * 10 // 2**30)  # written out exactly: ``:g`` kept 6 digits only
        return f"{tenths // 10}" + (f".{tenths % 10}" if tenths % 10 else "") + "G"
    return f"{max(1, -(-need // 2**20))}M"


def check_memory(
    models: Sequence[Model],
    n_actors: int,
    n_issues: int,
    *,
    draws: int = 1,
    held: int = 0,
    budget: int = MEMORY_BUDGET,
) -> None:
    """Refuse, before any work, a computation that cannot fit :func:`memory_limit`: the
    peak of the hungriest model on ``draws`` draws of a scenario of this size (in chunks
    sized from ``budget``), plus ``held`` bytes the caller keeps meanwhile (a block of drawn
    inputs). The message says both figures and where the limit comes from."""
    limit = memory_limit()
    if limit is None or not models:
        return
    most, where = limit
    need = {m.name: peak_memory(m, n_actors, n_issues, draws, budget) + held for m in models}
    name = max(need, key=lambda k: need[k])
    if need[name] > most:
        raise MemoryLimitError(
            f"{_model_on(name, n_actors, n_issues)} needs about "
            f"{_gib(need[name])} at its peak; {where} allows {_gib(most)} "
            "(use fewer actors or issues, another model, or set STATECRAFT_MEMORY)"
        )


def check_budget(models: Sequence[Model], n_actors: int, n_issues: int, memory: int) -> None:
    """Refuse a study whose budget ``memory`` cannot hold even one draw: a draw of the
    inputs held, and the hungriest model's one run with one draw
    (:class:`~statecraft.errors.MemoryLimitError`, with both figures)."""
    one = input_bytes(n_actors, n_issues)
    need = {
        m.name: one + m.run_memory(n_actors, n_issues) + m.memory_per_draw(n_actors, n_issues) + one
        for m in models
    }
    if not need:
        return
    name = max(need, key=lambda k: need[k])
    if need[name] > memory:
        raise MemoryLimitError(
            f"{_model_on(name, n_actors, n_issues)} needs at least "
            f"{_gib(need[name])} for one draw; the memory budget is {_gib(memory)} (give "
            f"--memory {memory_option(need[name])} or more, or use fewer actors or issues, or "
            "another model)"
        )


def chunks(
    model: Model,
    batch: Batch,
    *,
    seed: int = 0,
    block: int = 0,
    detail: bool = False,
    budget: int = MEMORY_BUDGET,
) -> Iterator[tuple[slice, Output]]:
    """One model on a batch, a chunk of draws at a time (sized from the budget): each
    chunk's draws and its output, in order, from one generator, so that the chunks together
    are the same as one call. A caller that summarises chunk by chunk never holds a whole
    batch's per-draw extras. The model runs on the batch brought into the safe range
    (:func:`in_safe_range`), and its outputs are put back on the batch's scales."""
    safe, power = in_safe_range(batch)
    rng = model_generator(seed, block, model)
    size = chunk_size(model, batch.n_actors, batch.n_issues, budget)
    if batch.size <= size:
        yield slice(0, batch.size), _restore(model.evaluate(safe, rng, detail=detail), power, batch)
        return
    for i in range(0, batch.size, size):
        part = slice(i, min(i + size, batch.size))
        out = model.evaluate(safe.take(part), rng, detail=detail and i == 0)
        yield part, _restore(out, power, batch)


def _join(parts: Sequence[Output]) -> Output:
    extras: dict[str, dict[str, np.ndarray]] = {}
    for issue in parts[0].extras:
        extras[issue] = {
            key: np.concatenate([p.extras[issue][key] for p in parts])
            for key in parts[0].extras[issue]
        }
    return Output(
        forecasts=np.concatenate([p.forecasts for p in parts]),
        not_applicable=parts[0].not_applicable,
        extras=extras,
        details=parts[0].details,
    )


#: Numbers whose magnitude lies outside [2**-SAFE_EXPONENT, 2**SAFE_EXPONENT] are scaled into
#: it before a model runs (:func:`in_safe_range`): far from overflow in products of three or
#: four of them (capability x salience x distance, squares of distances) and from underflow.
SAFE_EXPONENT = 64


def _power_of_two(top: np.ndarray) -> np.ndarray:
    """The exponent ``e`` such that ``top * 2**-e`` lies in [0.5, 1), or 0 where ``top``
    already lies within the safe range (or is 0)."""
    _, e = np.frexp(top)
    safe = (top == 0) | ((e > -SAFE_EXPONENT) & (e <= SAFE_EXPONENT))
    return np.asarray(np.where(safe, 0, e))


def _all_safe(batch: Batch) -> bool:
    """Whether every draw's strength (its largest capability or power) lies within the safe
    range, seen from the smallest and the largest number of them all (two reductions over
    whole arrays instead of one per draw; no finding where a number is 0 or not finite)."""
    if not batch.n_actors or not batch.capability.size:
        return False
    low = min(batch.capability.min(), batch.power.min())
    high = max(batch.capability.max(), batch.power.max())
    if not (np.isfinite(low) and np.isfinite(high) and low > 0):
        return False
    return not _power_of_two(np.array([low, high])).any()


def in_safe_range(batch: Batch) -> tuple[Batch, int]:
    """The batch with its numbers brought into a range where no model overflows, and the
    power of two that puts its positions back on the scenario's scales.

    Positions (and the scales, status quos and outcomes) are multiplied by one power of
    two, the same for every issue, when the largest end of any scale lies outside the safe
    range (scales near 1e308, or near 1e-300); capabilities and powers by a power of two
    per draw when the draw's largest lies outside it (capabilities near 1e308 or 5e-324).
    Powers of two are exact, and every model is unchanged by a common scale of the positions
    and of the capabilities (the contract's ``capability-scale``), so the forecasts are the
    same numbers as on the scenario's own scales, without the overflow; a batch already in
    the safe range is returned as it is (power 0).
    """
    ends = np.abs(np.concatenate([batch.low, batch.high]))
    k = int(_power_of_two(np.asarray(ends.max())))
    if _all_safe(batch):
        m = np.zeros(batch.size, dtype=int)
    else:
        power = max_last(batch.power) if batch.n_actors else np.zeros(batch.size)
        capability = batch.capability.reshape(batch.size, -1)
        strength = np.maximum(max_last(capability), power) if capability.size else power
        m = _power_of_two(strength)
    if k == 0 and not m.any():
        return batch, 0
    out = batch
    if k:
        out = replace(
            out,
            position=np.ldexp(batch.position, -k),
            status_quo=np.ldexp(batch.status_quo, -k),
            low=np.ldexp(batch.low, -k),
            high=np.ldexp(batch.high, -k),
            actual=np.ldexp(batch.actual, -k),
        )
    if m.any():
        out = replace(
            out,
            capability=np.ldexp(batch.capability, -m[:, None, None]),
            power=np.ldexp(batch.power, -m[:, None]),
        )
    return out, k


def _restore(output: Output, power: int, batch: Batch) -> Output:
    """A model's output on a batch from :func:`in_safe_range`, back on the scales of
    ``batch`` (times ``2**power``, within the scale: a model that rounds its forecast to a
    number of decimals may round past the end of a scale brought near 1)."""
    if power == 0:
        return output
    with np.errstate(over="ignore"):
        forecasts = np.clip(np.ldexp(output.forecasts, power), batch.low, batch.high)
    return replace(
        output,
        forecasts=forecasts,
        details=None if output.details is None else output.details.scaled(power),
    )


def run_model(
    model: Model,
    batch: Batch,
    *,
    seed: int = 0,
    block: int = 0,
    detail: bool = False,
    budget: int = MEMORY_BUDGET,
) -> Output:
    """One model on a batch, in chunks that fit the budget; the same as one call. A batch
    that cannot fit the machine is refused first (:func:`check_memory`)."""
    check_memory([model], batch.n_actors, batch.n_issues, draws=batch.size)
    parts = [
        out for _, out in chunks(model, batch, seed=seed, block=block, detail=detail, budget=budget)
    ]
    return parts[0] if len(parts) == 1 else _join(parts)


def evaluate(
    models: Sequence[Model],
    batch: Batch,
    *,
    seed: int = 0,
    block: int = 0,
    detail: bool = False,
    budget: int = MEMORY_BUDGET,
) -> dict[str, Output]:
    """Every model on a batch: their outputs by name.

    ``seed`` and ``block`` seed each model's generator (:func:`model_generator`); with
    ``detail`` each model also gives its account of the first draw.
    """
    return {
        m.name: run_model(m, batch, seed=seed, block=block, detail=detail, budget=budget)
        for m in models
    }


def details_by_issue(output: Output) -> Mapping[str, Any]:
    """A one-issue model's details per issue (empty for other models)."""
    return output.details.issues if isinstance(output.details, PerIssue) else {}
