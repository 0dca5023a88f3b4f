"""Statecraft: forecast multi-actor negotiations and conflicts, and say who wins them.

>>> import statecraft as sc
>>> s = sc.load("ec-emissions-1994")
>>> r = sc.forecast(s, model="compromise")
>>> round(r.value("emissions", "compromise"), 3)
7.39
"""

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
