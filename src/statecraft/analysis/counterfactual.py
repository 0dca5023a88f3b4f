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

Patches stack (:mod:`._patch`): ``a+b`` (:func:`load_stack`) or a list (:func:`as_patch`,
:meth:`Patch.stack`) is one counterfactual, the later patch over the earlier.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from statecraft.analysis._blocks import BLOCK
from statecraft.analysis._brief_parts import ActorVerdict
from statecraft.analysis._patch import Change, Patch, apply_patch
from statecraft.analysis.brief import winner_odds
from statecraft.analysis.uncertainty import Simulation, simulate
from statecraft.errors import ScenarioError, check_seed
from statecraft.io import load_yaml_data, read_file
from statecraft.models import Model, default_model
from statecraft.notebook import Notebook
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
    "load_stack",
    "patch_from_data",
    "split_stack",
]


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


def _is_file(source: str) -> bool:
    try:
        return Path(source).is_file()
    except (OSError, ValueError):  # a name the system cannot look up (too long, a NUL)
        return False


def split_stack(spec: str) -> list[str]:
    """The parts of a stack ``a+b+c``: built-in patch names or patch files. A run of parts
    that, joined by ``+``, names an existing file stays one part (so a file whose name holds
    a ``+`` may be given, alone or in a stack); an empty part (``a++b``, ``+a``) is refused."""
    if _is_file(spec):
        return [spec]
    tokens = spec.split("+")
    parts: list[str] = []
    i = 0
    while i < len(tokens):
        j = next(
            (j for j in range(len(tokens), i + 1, -1) if _is_file("+".join(tokens[i:j]))),
            i + 1,
        )
        parts.append("+".join(tokens[i:j]))
        i = j
    if any(not p.strip() for p in parts):
        raise ScenarioError(
            f"an empty patch name in {spec!r}: join patches with a single '+' (a+b)"
        )
    return parts


def load_stack(spec: str | Path, *, scenario: Scenario | None = None) -> Patch:
    """One counterfactual from ``a+b+c`` (:func:`split_stack`): each part a built-in patch
    of ``scenario`` or a patch file, stacked in order with :meth:`Patch.stack` (the later
    over the earlier). A :class:`~pathlib.Path` is one patch file."""
    if isinstance(spec, Path):
        return load_patch(spec, scenario=scenario)
    parts = split_stack(spec)
    if len(parts) == 1:
        return load_patch(parts[0], scenario=scenario)
    patches = []
    for part in parts:
        try:
            patches.append(load_patch(part, scenario=scenario))
        except ScenarioError as exc:
            raise ScenarioError(
                f"in the stack {spec!r}: {exc.problem}",
                file=exc.file,
                line=exc.line,
                path=exc.path,
            ) from None
    return Patch.stack(patches)


PatchLike = Patch | str | Path
#: One counterfactual: a patch, a stack's text or a file, or a list of them to stack.
Counterfactual = PatchLike | Sequence[PatchLike]


def as_patch(item: Counterfactual, *, scenario: Scenario | None = None) -> Patch:
    """One counterfactual as a :class:`Patch`: a patch as it is, a string through
    :func:`load_stack` (``"a+b"``), a path through :func:`load_patch`, and a list or tuple
    of these stacked in order (:meth:`Patch.stack`)."""
    if isinstance(item, Patch):
        return item
    if isinstance(item, str | Path):
        return load_stack(item, scenario=scenario)
    if isinstance(item, Sequence):
        return Patch.stack([as_patch(p, scenario=scenario) for p in item])
    raise TypeError(f"a counterfactual is a patch, a name, a path or a list of them, not {item!r}")


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
        # a Patch has no validator functions, so no "function-..." step in a location
        err = exc.errors()[0]
        loc = tuple(err["loc"])
        found = [(lines or {}).get(loc[:end]) for end in range(len(loc), -1, -1)]
        raise ScenarioError(
            err["msg"].removeprefix("Value error, "),
            file=label,
            path=loc,
            line=next((n for n in found if n is not None), None),
        ) from None
    patch._file = label
    return patch


@dataclass(frozen=True, repr=False)
class Comparison(Notebook):
    """The base scenario and each counterfactual: forecasts, winners and, when drawn,
    intervals."""

    base: Forecast
    patched: tuple[tuple[Patch, Forecast], ...]
    simulations: tuple[Simulation, ...] = ()  # base first, then each patch, when drawn
    #: when drawn, each actor's verdict over the draws and the models (as in a brief),
    #: base first, then each patch; and the weights of that ensemble's models
    odds: tuple[tuple[ActorVerdict, ...], ...] = ()
    odds_weights: Mapping[str, float] = field(default_factory=dict)

    @property
    def labels(self) -> list[str]:
        """``base``, then each counterfactual's name."""
        return ["base", *(p.name for p, _ in self.patched)]

    @property
    def blocks(self) -> dict[str, int]:
        """Each simulated scenario's draws per block, where the memory budget held fewer
        than 4,096 (empty otherwise): part of what the seed reproduces."""
        return {
            label: sim.block
            for label, sim in zip(self.labels, self.simulations, strict=False)
            if sim.block != BLOCK
        }

    @property
    def block_note(self) -> str | None:
        """What smaller blocks mean for reproducing the draws (the first such scenario's)."""
        notes = [
            (label, sim.block_note)
            for label, sim in zip(self.labels, self.simulations, strict=False)
        ]
        return next((f"{label}: {note}" for label, note in notes if note), None)

    def _summary(self) -> list[str]:
        runs = [("base", self.base), *((p.name, f) for p, f in self.patched)]
        lines = [
            f"Comparison of {self.base.scenario.name!r}: the base and {len(self.patched)} "
            f"counterfactual{'s' if len(self.patched) != 1 else ''} under {self.base.primary}"
        ]
        for label, f in runs:
            top = f.winners.ranking[0] if f.winners.ranking else None
            said = "no winner" if top is None else f"{top.name} ({top.gain:+.3f})"
            lines.append(f"  {label}: biggest winner {said}")
        return lines

    def _headline(self) -> pd.DataFrame:
        """One row per issue: the primary model's forecast in the base and each patch."""
        import pandas as pd

        m = self.base.primary
        runs = [("base", self.base), *((p.name, f) for p, f in self.patched)]
        return pd.DataFrame.from_records(
            [
                {"issue": i.issue} | {label: f.value(i.issue, m) for label, f in runs}
                for i in self.base.issues
            ]
        )

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
                {
                    "name": p.name,
                    "title": p.title,
                    "assumes": p.assumes,
                    "parts": [part.name for part in p.parts],
                    "notes": list(p.notes),
                }
                for p, _ in self.patched
            ],
            "forecasts": self.to_records(),
            "winners": {
                label: [{"actor": g.actor, "gain": g.gain} for g in f.winners.ranking]
                for label, f in (("base", self.base), *((p.name, f) for p, f in self.patched))
            },
        }
        if self.odds:
            out["verdicts"] = {
                "weights": dict(self.odds_weights),
                "draws": self.simulations[0].draws if self.simulations else None,
                "by_scenario": {
                    label: [{"actor": v.actor, "name": v.name, **v.overall.to_dict()} for v in vs]
                    for label, vs in zip(self.labels, self.odds, strict=True)
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
        if self.blocks:
            out["blocks"] = self.blocks
        data = dict(strict_json(out))
        if nulls:
            data["nulls"] = [*data.get("nulls", []), *nulls]
        return data


def compare(
    scenario: Scenario,
    patches: Sequence[Patch | Sequence[Patch]],
    model: str | Model | None = None,
    *,
    draws: int = 0,
    seed: int = 0,
    options: dict[str, Any] | None = None,
    odds: bool = True,
    weights: str | Mapping[str, float] = "equal",
    memory: int | str | None = None,
) -> Comparison:
    """Forecast the scenario and each patched copy under ``model`` (a name or an instance,
    one-issue or linked; default: the first registered model,
    :func:`~statecraft.models.default_model`); with ``draws`` > 0 also simulate each.
    A list among ``patches`` is one counterfactual, its patches stacked in order
    (:meth:`Patch.stack`: ``[[a, b], c]`` compares ``a+b`` and ``c``). With draws and
    ``odds``, each run also gets the brief's verdict (:func:`~.brief.winner_odds`): every
    actor's probability of being the biggest winner over the same draws and the ensemble of
    the one-issue models that apply, weighted by ``weights``.
    ``seed`` seeds both the draws and the generator of a stochastic model; ``memory`` is the
    simulations' memory budget (as for :func:`~.uncertainty.simulate`)."""
    seed = check_seed(seed)
    model = model or default_model()
    given = [p if isinstance(p, Patch) else Patch.stack(p) for p in patches]
    variants = [apply_patch(scenario, p) for p in given]
    base = forecast(scenario, model, options=options, seed=seed)
    patched = tuple(
        (p, forecast(v, model, options=options, seed=seed))
        for p, v in zip(given, variants, strict=True)
    )
    sims: tuple[Simulation, ...] = ()
    if draws > 0:
        sims = tuple(
            simulate(s, model, draws=draws, seed=seed, options=options, memory=memory)
            for s in (scenario, *variants)
        )
    verdicts: tuple[tuple[ActorVerdict, ...], ...] = ()
    weighted: dict[str, float] = {}
    if draws > 0 and odds:
        runs = [
            winner_odds(s, draws=draws, seed=seed, weights=weights, options=options, memory=memory)
            for s in (scenario, *variants)
        ]
        verdicts = tuple(v for v, _ in runs)
        weighted = runs[0][1]
    return Comparison(
        base=base, patched=patched, simulations=sims, odds=verdicts, odds_weights=weighted
    )
