"""Counterfactuals: small patch files over a scenario, and their forecasts side by side.

A patch is a YAML file that names what it changes and why::

    name: us-engaged
    title: The United States engaged
    assumes: >-
      What the counterfactual takes for granted, in words.
    changes:
      - {set: salience, actor: usa, issue: territory, value: 0.7}
      - {shift: position, actor: turkey, issue: status, by: -40}
      - {scale: capability, actor: russia, by: 0.5}
      - {set: status_quo, issue: territory, value: 20}
      - {remove_actor: russia}
      - {add_actor: {id: un, name: United Nations, capability: 5, stances: {...}}}

``set`` takes ``position``, ``salience``, ``capability`` (the actor's, or its capability on
one issue when ``issue`` is given) and ``status_quo``; ``shift`` adds to a position or a
status quo; ``scale`` multiplies a capability or salience. A patched number keeps no range
of its own: it is what the counterfactual asserts. The patched scenario is validated like
any other, and a patch that names an unknown actor or issue is refused with the place in
the patch file.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictFloat,
    ValidationError,
    model_validator,
)

from statecraft.analysis.uncertainty import Simulation, simulate
from statecraft.errors import ScenarioError, check_seed
from statecraft.io import error_from_validation, load_yaml_data, read_file
from statecraft.models import Model, default_model
from statecraft.runner import Forecast, forecast
from statecraft.scenario import Scenario
from statecraft.textsafe import strict_json

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Change",
    "Comparison",
    "Patch",
    "apply_patch",
    "builtin_patches",
    "compare",
    "load_patch",
    "patch_from_data",
]

Field_ = Literal["position", "salience", "capability", "status_quo"]


class Change(BaseModel):
    """One change of a patch: exactly one of set, shift, scale, remove_actor, add_actor."""

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    set: Field_ | None = None
    shift: Literal["position", "status_quo"] | None = None
    scale: Literal["capability", "salience"] | None = None
    remove_actor: str | None = None
    add_actor: dict[str, Any] | None = None
    actor: str | None = None
    issue: str | None = None
    value: StrictFloat | None = None
    by: StrictFloat | None = None
    note: str | None = None

    @model_validator(mode="after")
    def _one_operation(self) -> Change:
        ops = [
            k for k in ("set", "shift", "scale", "remove_actor", "add_actor") if getattr(self, k)
        ]
        if len(ops) != 1:
            raise ValueError(
                "a change does exactly one of: set, shift, scale, remove_actor, add_actor"
                + (f" (this one: {', '.join(ops)})" if ops else "")
            )
        if self.set is not None and self.value is None:
            raise ValueError(f"'set: {self.set}' needs a value")
        if (self.shift or self.scale) and self.by is None:
            raise ValueError("'shift' and 'scale' need 'by'")
        target = self.set or self.shift or self.scale
        if target == "status_quo" and self.issue is None:
            raise ValueError("a status quo change needs an issue")
        if target in ("position", "salience") and (self.actor is None or self.issue is None):
            raise ValueError(f"a {target} change needs an actor and an issue")
        if target == "capability" and self.actor is None:
            raise ValueError("a capability change needs an actor")
        return self


class Patch(BaseModel):
    """A counterfactual: a name, what it assumes, and its changes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    title: str | None = None
    assumes: str = Field(min_length=1, description="What the counterfactual takes for granted.")
    changes: tuple[Change, ...] = Field(min_length=1)
    _file: str | None = PrivateAttr(default=None)  # where it was read from, for messages


def _patch_folder(scenario_name: str) -> Any:
    return resources.files("statecraft.scenarios").joinpath("patches", scenario_name)


def builtin_patches(scenario_name: str) -> tuple[str, ...]:
    """The names of the patches shipped with a built-in scenario (none for any other name:
    a scenario's name never leads outside the package's patch folders)."""
    from statecraft.io import builtin_names

    if scenario_name not in builtin_names():
        return ()
    folder = _patch_folder(scenario_name)
    if not folder.is_dir():
        return ()
    return tuple(
        sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))
    )


def builtin_patch(scenario: Scenario, name: str) -> Patch:
    """A built-in patch of ``scenario`` by name, from the package only (never a file)."""
    if name not in builtin_patches(scenario.name):
        known = ", ".join(builtin_patches(scenario.name)) or "none"
        raise ScenarioError(f"no built-in patch {name!r} for {scenario.name}; they are: {known}")
    return load_patch(name, scenario=scenario, builtin=True)


def load_patch(
    source: str | Path, *, scenario: Scenario | None = None, builtin: bool = False
) -> Patch:
    """A patch from a file, or by name among the built-in patches of ``scenario`` (only
    there with ``builtin=True``)."""
    path = Path(source)
    label = str(source)
    is_builtin = scenario is not None and str(source) in builtin_patches(scenario.name)
    try:
        is_file = path.is_file()
    except (OSError, ValueError):  # a name the system cannot look up (too long, a NUL)
        is_file = False
    if is_builtin and scenario is not None and (builtin or not is_file):
        text = _patch_folder(scenario.name).joinpath(f"{source}.yaml").read_text("utf-8")
        label = f"{source} (built-in patch of {scenario.name})"
    else:
        if not is_file:
            known = builtin_patches(scenario.name) if scenario is not None else ()
            hint = f"; the built-in patches are: {', '.join(known)}" if known else ""
            raise ScenarioError(f"no such patch file{hint}", file=label)
        text = read_file(path, what="a patch file")
    data, lines = load_yaml_data(text, file=label)
    return patch_from_data(data, label=label, lines=lines)


def patch_from_data(
    data: Any,
    *,
    label: str | None = None,
    lines: Mapping[tuple[str | int, ...], int] | None = None,
) -> Patch:
    """A patch from plain data (a mapping with name, assumes and changes); a problem is a
    :class:`ScenarioError` naming where it is, as for a patch file (and its line, where
    ``lines`` gives the line of each field, as :func:`statecraft.io.load_yaml_data` does)."""
    if not isinstance(data, dict):
        raise ScenarioError("a patch is a mapping with name, assumes and changes", file=label)
    try:
        patch = Patch.model_validate(data)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = tuple(p for p in err["loc"] if not str(p).startswith("function-"))
        found = [(lines or {}).get(loc[:end]) for end in range(len(loc), -1, -1)]
        raise ScenarioError(
            err["msg"].removeprefix("Value error, "),
            file=label,
            path=loc,
            line=next((n for n in found if n is not None), None),
        ) from None
    patch._file = label
    return patch


def apply_patch(scenario: Scenario, patch: Patch, *, file: str | None = None) -> Scenario:
    """The scenario with the patch's changes made, validated; its name gains ``+patch``."""
    data = scenario.model_dump(mode="python")
    actors = {a["id"]: a for a in data["actors"]}
    issues = {i["id"]: i for i in data["issues"]}
    where = file or patch._file or patch.name
    for k, change in enumerate(patch.changes):
        path = ("changes", k)
        if change.actor is not None and change.actor not in actors:
            raise ScenarioError(
                f"unknown actor id {change.actor!r}; the actors are: {', '.join(actors)}",
                file=where,
                path=(*path, "actor"),
            )
        if change.issue is not None and change.issue not in issues:
            raise ScenarioError(
                f"unknown issue id {change.issue!r}; the issues are: {', '.join(issues)}",
                file=where,
                path=(*path, "issue"),
            )
        if change.remove_actor is not None:
            if change.remove_actor not in actors:
                raise ScenarioError(
                    f"unknown actor id {change.remove_actor!r}",
                    file=where,
                    path=(*path, "remove_actor"),
                )
            del actors[change.remove_actor]
            continue
        if change.add_actor is not None:
            new = copy.deepcopy(change.add_actor)
            if new.get("id") in actors:
                raise ScenarioError(
                    f"actor {new.get('id')!r} is already in the scenario", file=where, path=path
                )
            actors[str(new.get("id"))] = new
            continue
        target = change.set or change.shift or change.scale
        holder, key = _locate(actors, issues, change, target, where, path)
        old = holder.get(key)
        old_value = old["value"] if isinstance(old, dict) else old
        if change.set is not None:
            new_value = change.value
        elif old_value is None:
            raise ScenarioError(
                f"nothing to {'shift' if change.shift else 'scale'}: no {target} is set",
                file=where,
                path=path,
            )
        elif change.shift is not None:
            new_value = float(old_value) + float(change.by or 0.0)
        else:
            new_value = float(old_value) * float(change.by or 0.0)
        holder[key] = {
            "value": new_value,
            "source": f"counterfactual {patch.name}",
            "note": change.note or patch.assumes,
        }
    data["actors"] = list(actors.values())
    data["name"] = f"{scenario.name}+{patch.name}"
    if patch.title:
        data["title"] = f"{scenario.title or scenario.name}: {patch.title}"
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        raise error_from_validation(
            exc, file=f"{where} (applied to {scenario.name})", lines={}
        ) from None


def _locate(
    actors: dict[str, Any],
    issues: dict[str, Any],
    change: Change,
    target: str | None,
    where: str,
    path: tuple[str | int, ...],
) -> tuple[dict[str, Any], str]:
    """The mapping and key a set/shift/scale change writes to."""
    if target == "status_quo":
        return issues[str(change.issue)], "status_quo"
    actor = actors[str(change.actor)]
    if target == "capability" and change.issue is None:
        return actor, "capability"
    stance = actor.get("stances", {}).get(change.issue)
    if stance is None:
        raise ScenarioError(
            f"actor {change.actor!r} takes no position on issue {change.issue!r}; "
            "give it one with set: position and set: salience first, or add it as an actor",
            file=where,
            path=path,
        )
    return stance, str(target)


@dataclass(frozen=True)
class Comparison:
    """The base scenario and each counterfactual: forecasts, winners and, when drawn,
    intervals."""

    base: Forecast
    patched: tuple[tuple[Patch, Forecast], ...]
    simulations: tuple[Simulation, ...] = ()  # base first, then each patch, when drawn

    def to_records(self) -> list[dict[str, Any]]:
        """One record per issue, scenario and model: forecast and difference from the base."""
        rows = []
        runs = [("base", self.base), *((p.name, f) for p, f in self.patched)]
        for label, f in runs:
            for item in f.issues:
                for model in f.model_names:
                    value = item.forecasts.get(model)
                    base = self.base.value(item.issue, model)
                    rows.append(
                        {
                            "scenario": label,
                            "issue": item.issue,
                            "model": model,
                            "forecast": value,
                            "difference": None if value is None or base is None else value - base,
                        }
                    )
        return rows

    def to_frame(self) -> pd.DataFrame:
        """The records as a pandas DataFrame: one row per scenario (base and patches) and
        issue, with the forecast and its difference from the base."""
        import pandas as pd

        return pd.DataFrame.from_records(self.to_records())

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scenario": self.base.scenario.name,
            "patches": [
                {"name": p.name, "title": p.title, "assumes": p.assumes} for p, _ in self.patched
            ],
            "forecasts": self.to_records(),
            "winners": {
                label: [{"actor": g.actor, "gain": g.gain} for g in f.winners.ranking]
                for label, f in (("base", self.base), *((p.name, f) for p, f in self.patched))
            },
        }
        nulls: list[dict[str, str]] = []
        if self.simulations:
            labels = ["base", *(p.name for p, _ in self.patched)]
            sims = {
                label: sim.to_dict() for label, sim in zip(labels, self.simulations, strict=True)
            }
            out["intervals"] = {label: d["by_model"] for label, d in sims.items()}
            # the simulations' nulls that were kept, at their place here
            for label, d in sims.items():
                for n in d.get("nulls", []):
                    if n["path"].startswith("/by_model/"):
                        where = n["path"].removeprefix("/by_model")
                        label_key = label.replace("~", "~0").replace("/", "~1")
                        nulls.append({**n, "path": f"/intervals/{label_key}{where}"})
        data = dict(strict_json(out))
        if nulls:
            data["nulls"] = [*data.get("nulls", []), *nulls]
        return data


def compare(
    scenario: Scenario,
    patches: Sequence[Patch],
    model: str | Model | None = None,
    *,
    draws: int = 0,
    seed: int = 0,
    options: dict[str, Any] | None = None,
) -> Comparison:
    """Forecast the scenario and each patched copy under ``model`` (a name or an instance,
    one-issue or linked; default: the first registered model,
    :func:`~statecraft.models.default_model`); with ``draws`` > 0 also simulate each.
    ``seed`` seeds both the draws and the generator of a stochastic model."""
    seed = check_seed(seed)
    model = model or default_model()
    variants = [apply_patch(scenario, p) for p in patches]
    base = forecast(scenario, model, options=options, seed=seed)
    patched = tuple(
        (p, forecast(v, model, options=options, seed=seed))
        for p, v in zip(patches, variants, strict=True)
    )
    sims: tuple[Simulation, ...] = ()
    if draws > 0:
        sims = tuple(
            simulate(s, model, draws=draws, seed=seed, options=options)
            for s in (scenario, *variants)
        )
    return Comparison(base=base, patched=patched, simulations=sims)
