"""Statecraft: forecast multi-actor negotiations and conflicts, and say who wins them.

>>> import statecraft as sc
>>> s = sc.load("ec-emissions-1994")
>>> r = sc.forecast(s, model="compromise")
>>> round(r.value("emissions", "compromise"), 3)
7.39
"""

# The namespace is filled on first use (PEP 562): `import statecraft` and the command line's
# start (`statecraft --version`) import neither NumPy nor pydantic nor the engine; a name is
# imported from its module the first time it is read, then kept here.
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from statecraft._lazy import attribute
from statecraft._version import __version__

if TYPE_CHECKING:  # the same names, for type checkers and editors
    from statecraft._front import (
        advise,
        brief,
        compare,
        forecast,
        one_at_a_time,
        power_shift,
        risk,
        simulate,
        sobol_indices,
        sweep,
        timeline,
        what_flips,
    )
    from statecraft._version import __version__
    from statecraft.analysis.advise import Advice, FlipSearch, Lever, Sweep
    from statecraft.analysis.brief import Brief
    from statecraft.analysis.counterfactual import (
        Comparison,
        Patch,
        apply_patch,
        load_patch,
        load_stack,
    )
    from statecraft.analysis.risk import PowerShift, Risk
    from statecraft.analysis.sensitivity import Sensitivity
    from statecraft.analysis.timeline import Timeline, TimelineRun, load_timeline
    from statecraft.analysis.uncertainty import Simulation
    from statecraft.analysis.winners import ActorGain, Winners, winners
    from statecraft.arrays import Batch, IssueArrays, issue_arrays, scenario_batch
    from statecraft.errors import MemoryLimitError, ScenarioError, StatecraftError
    from statecraft.io import Format, builtin_names, dumps, load, read_text, save
    from statecraft.models import (
        Model,
        NotApplicable,
        UnknownModel,
        available_models,
        default_model,
        get_model,
    )
    from statecraft.runner import Forecast, IssueForecast
    from statecraft.scenario import (
        Actor,
        Issue,
        Perturbation,
        Quantity,
        Scale,
        Scenario,
        Source,
        Stance,
    )
    from statecraft.store import Run, RunDiff, Store, open_store
    from statecraft.store import diff as diff_runs

#: name -> (module, name in it): where each public name is defined.
_WHERE: dict[str, tuple[str, str]] = {
    "Actor": ("statecraft.scenario", "Actor"),
    "ActorGain": ("statecraft.analysis.winners", "ActorGain"),
    "Advice": ("statecraft.analysis.advise", "Advice"),
    "Batch": ("statecraft.arrays", "Batch"),
    "Brief": ("statecraft.analysis.brief", "Brief"),
    "Comparison": ("statecraft.analysis.counterfactual", "Comparison"),
    "FlipSearch": ("statecraft.analysis.advise", "FlipSearch"),
    "Forecast": ("statecraft.runner", "Forecast"),
    "Format": ("statecraft.io", "Format"),
    "Issue": ("statecraft.scenario", "Issue"),
    "IssueArrays": ("statecraft.arrays", "IssueArrays"),
    "IssueForecast": ("statecraft.runner", "IssueForecast"),
    "Lever": ("statecraft.analysis.advise", "Lever"),
    "MemoryLimitError": ("statecraft.errors", "MemoryLimitError"),
    "Model": ("statecraft.models", "Model"),
    "NotApplicable": ("statecraft.models", "NotApplicable"),
    "Patch": ("statecraft.analysis.counterfactual", "Patch"),
    "Perturbation": ("statecraft.scenario", "Perturbation"),
    "PowerShift": ("statecraft.analysis.risk", "PowerShift"),
    "Quantity": ("statecraft.scenario", "Quantity"),
    "Risk": ("statecraft.analysis.risk", "Risk"),
    "Run": ("statecraft.store", "Run"),
    "RunDiff": ("statecraft.store", "RunDiff"),
    "Scale": ("statecraft.scenario", "Scale"),
    "Scenario": ("statecraft.scenario", "Scenario"),
    "ScenarioError": ("statecraft.errors", "ScenarioError"),
    "Sensitivity": ("statecraft.analysis.sensitivity", "Sensitivity"),
    "Simulation": ("statecraft.analysis.uncertainty", "Simulation"),
    "Source": ("statecraft.scenario", "Source"),
    "Stance": ("statecraft.scenario", "Stance"),
    "StatecraftError": ("statecraft.errors", "StatecraftError"),
    "Store": ("statecraft.store", "Store"),
    "Sweep": ("statecraft.analysis.advise", "Sweep"),
    "Timeline": ("statecraft.analysis.timeline", "Timeline"),
    "TimelineRun": ("statecraft.analysis.timeline", "TimelineRun"),
    "UnknownModel": ("statecraft.models", "UnknownModel"),
    "Winners": ("statecraft.analysis.winners", "Winners"),
    "advise": ("statecraft._front", "advise"),
    "apply_patch": ("statecraft.analysis.counterfactual", "apply_patch"),
    "available_models": ("statecraft.models", "available_models"),
    "brief": ("statecraft._front", "brief"),
    "builtin_names": ("statecraft.io", "builtin_names"),
    "compare": ("statecraft._front", "compare"),
    "default_model": ("statecraft.models", "default_model"),
    "diff_runs": ("statecraft.store", "diff"),
    "dumps": ("statecraft.io", "dumps"),
    "forecast": ("statecraft._front", "forecast"),
    "get_model": ("statecraft.models", "get_model"),
    "issue_arrays": ("statecraft.arrays", "issue_arrays"),
    "load": ("statecraft.io", "load"),
    "load_patch": ("statecraft.analysis.counterfactual", "load_patch"),
    "load_stack": ("statecraft.analysis.counterfactual", "load_stack"),
    "load_timeline": ("statecraft.analysis.timeline", "load_timeline"),
    "one_at_a_time": ("statecraft._front", "one_at_a_time"),
    "open_store": ("statecraft.store", "open_store"),
    "power_shift": ("statecraft._front", "power_shift"),
    "read_text": ("statecraft.io", "read_text"),
    "risk": ("statecraft._front", "risk"),
    "save": ("statecraft.io", "save"),
    "scenario_batch": ("statecraft.arrays", "scenario_batch"),
    "simulate": ("statecraft._front", "simulate"),
    "sobol_indices": ("statecraft._front", "sobol_indices"),
    "sweep": ("statecraft._front", "sweep"),
    "timeline": ("statecraft._front", "timeline"),
    "what_flips": ("statecraft._front", "what_flips"),
    "winners": ("statecraft.analysis.winners", "winners"),
}


def __getattr__(name: str) -> Any:
    return attribute(__name__, _WHERE, globals(), name)


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "Actor",
    "ActorGain",
    "Advice",
    "Batch",
    "Brief",
    "Comparison",
    "FlipSearch",
    "Forecast",
    "Format",
    "Issue",
    "IssueArrays",
    "IssueForecast",
    "Lever",
    "MemoryLimitError",
    "Model",
    "NotApplicable",
    "Patch",
    "Perturbation",
    "PowerShift",
    "Quantity",
    "Risk",
    "Run",
    "RunDiff",
    "Scale",
    "Scenario",
    "ScenarioError",
    "Sensitivity",
    "Simulation",
    "Source",
    "Stance",
    "StatecraftError",
    "Store",
    "Sweep",
    "Timeline",
    "TimelineRun",
    "UnknownModel",
    "Winners",
    "__version__",
    "advise",
    "apply_patch",
    "available_models",
    "brief",
    "builtin_names",
    "compare",
    "default_model",
    "diff_runs",
    "dumps",
    "forecast",
    "get_model",
    "issue_arrays",
    "load",
    "load_patch",
    "load_stack",
    "load_timeline",
    "one_at_a_time",
    "open_store",
    "power_shift",
    "read_text",
    "risk",
    "save",
    "scenario_batch",
    "simulate",
    "sobol_indices",
    "sweep",
    "timeline",
    "what_flips",
    "winners",
]
