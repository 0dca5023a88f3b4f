"""Mutation testing of the kernel modules with mutmut, one module at a time (``make mutation``).

Each kernel module is mutated on its own, in a scratch folder ``build/mutation/<name>/``, and
each mutant is run against only the test files that exercise that module (``MODULES`` below),
so a module takes minutes rather than the whole suite. mutmut 3 reads its settings from a
``setup.cfg`` that this script writes into the scratch folder; the repository's own files are
never changed. ``shared`` in the scratch folder links to ``../shared`` when that exists, so the
tests that need the shared data run here as they do in the suite.

Usage::

    python scripts/mutation.py                 # every module, smallest first
    python scripts/mutation.py winners median  # just these
    python scripts/mutation.py --list          # the module -> tests map
    python scripts/mutation.py spatial --only "statecraft.models.spatial.x_run_spatial*"

``--only GLOB`` (repeatable) runs only the mutants whose names match (mutmut 3 names them
``statecraft.models.spatial.x_run_spatial__mutmut_7``, a method ``...xǁClassǁmethod__mutmut_3``),
for a re-run of a few functions' mutants after tests are added. End the glob in ``*`` right
after the function's name: mutmut picks the tests to run by matching the same glob against
the function's name. The kill rate printed is then over the mutants run; mutmut counts the
others as not checked (``mutmut results`` in the scratch folder lists each).

The kill rates go to ``build/mutation/summary.json`` and are printed as a table; the surviving
mutants of a module are listed with
``cd build/mutation/<name> && python -m mutmut results`` (mutmut's own progress goes to
``build/mutation/<name>/mutmut.log``) and shown with ``python -m mutmut show <mutant>``.
docs/testing.md records the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "build" / "mutation"
#: Besides src and tests, what the tests read from the repository.
ALSO_COPY = ("docs", "README.md", "mkdocs.yml", "scripts")


@dataclass(frozen=True)
class Module:
    """A kernel module (one or more source files) and the test files that exercise it."""

    name: str
    sources: tuple[str, ...]
    tests: tuple[str, ...]
    #: Environment variables the module's tests run with (see NUMPY_EU).
    env: tuple[tuple[str, str], ...] = ()


def _m(name: str, sources: str, tests: str, env: tuple[tuple[str, str], ...] = ()) -> Module:
    src = tuple(f"src/statecraft/{s}" for s in sources.split())
    return Module(name, src, tuple(f"tests/{t}" for t in tests.split()), env)


#: The expected utility round has two engines: the NumPy code in ``eu_rounds.py`` and a
#: numba kernel (``_eu_kernel.py``) that runs instead wherever numba is installed. mutmut
#: mutates the NumPy code, so its tests run with the NumPy engine; ``test_eu_kernel.py``
#: still runs the compiled one by name and compares the two.
NUMPY_EU = (("STATECRAFT_EU_ENGINE", "numpy"),)


# Smallest first: a run that is stopped part way has the most modules done.
MODULES: tuple[Module, ...] = (
    _m("compromise", "models/compromise.py models/rows.py", "test_models.py test_rows.py"),
    _m("median", "models/median.py", "test_models.py test_properties.py"),
    _m("nash", "models/nash.py", "test_models.py test_properties.py test_nash.py"),
    _m(
        "expected_utility",
        "models/expected_utility.py models/eu_result.py",
        "test_expected_utility.py test_eu_kernel.py test_eu_by_hand.py test_eu_defaults.py",
        NUMPY_EU,
    ),
    _m("kalai_smorodinsky", "models/kalai_smorodinsky.py", "test_kalai_smorodinsky.py"),
    _m("winners", "analysis/winners.py", "test_winners.py"),
    _m(
        "risk",
        "analysis/risk.py analysis/_risk_terms.py",
        "test_risk.py"
        " test_budget_more.py::test_risk_blocks_and_chunks_follow_the_budget"
        " test_budget_more.py::test_risk_at_the_default_budget_is_unchanged"
        " test_budget_more.py::test_risk_refuses_a_budget_whose_half_cannot_hold_its_histograms"
        " test_budget_more.py::test_risk_refuses_a_budget_before_any_run",
    ),
    _m(
        "brief",
        "analysis/brief.py",
        "test_brief.py test_budget.py test_budget_notes.py",
    ),
    _m(
        "uncertainty",
        "analysis/uncertainty.py analysis/_blocks.py",
        "test_uncertainty.py test_simulation_tables.py test_study_blocks.py test_budget.py"
        " test_expected_utility.py::test_monte_carlo_confrontations_count_either_direction"
        " test_extremes.py::test_every_json_output_is_strict_json_on_an_extreme_scenario"
        " test_memory.py::test_a_study_that_cannot_fit_is_refused_before_it_starts"
        " test_properties_more.py::test_a_degenerate_range_gives_the_point_forecast"
        " test_properties_more.py::test_more_draws_shrink_the_intervals_error"
        " test_brief.py::test_the_actuals_range_is_drawn"
        " test_parallel.py::test_blocks_on_two_threads_give_the_same_bytes"
        " test_parallel.py::test_when_blocks_run_on_threads"
        " test_parallel.py::test_an_interrupt_stops_the_threads_promptly"
        " test_budget_notes.py::test_the_block_of_a_budget_worked_by_hand"
        " test_budget_notes.py::test_a_study_that_one_block_holds_gets_no_note"
        " test_budget_notes.py::test_the_note_names_the_block_and_the_budget_that_restores_it"
        " test_budget_notes.py::test_the_note_only_where_the_block_is_smaller_and_the_study"
        "_outgrows_it",
    ),
    _m(
        "draws",
        "analysis/draws.py",
        "test_draws.py test_draw_engine.py test_uncertainty.py"
        " test_extremes.py::test_draws_on_a_range_near_1e308_are_the_exactly_scaled"
        "_draws_of_a_range_near_1"
        " test_extremes.py::test_every_json_output_is_strict_json_on_an_extreme_scenario",
    ),
    _m(
        "counterfactual",
        "analysis/counterfactual.py",
        "test_counterfactual.py test_counterfactual_by_hand.py test_stacking.py",
    ),
    _m(
        "exchange",
        "models/exchange.py",
        "test_exchange.py test_exchange_decide.py test_exchange_options.py",
    ),
    _m("exchange_decide", "models/_exchange_decide.py", "test_exchange_decide.py"),
    _m(
        "sensitivity",
        "analysis/sensitivity.py",
        "test_sensitivity.py test_sensitivity_by_hand.py"
        " test_properties_more.py::test_an_ignored_input_has_zero_index",
    ),
    _m(
        "advise",
        "analysis/advise.py analysis/_advice.py",
        "test_advise.py test_cli_advise.py test_budget_advise.py test_sweep_chart.py"
        " test_advice_results.py test_advise_checks.py test_advise_by_hand.py"
        " test_notebook.py test_web_levers.py"
        " test_budget_more.py::test_advise_runs_the_model_in_chunks_of_its_budget"
        " test_budget_more.py::test_advise_refuses_a_budget_that_cannot_hold_one_draw",
    ),
    _m(
        "spatial",
        "models/spatial.py models/spatial_blocks.py",
        "test_spatial.py test_spatial_options.py test_spatial_blocks.py",
    ),
    _m(
        "eu_rounds",
        "models/eu_rounds.py models/eu_votes.py",
        "test_expected_utility.py test_eu_kernel.py test_eu_by_hand.py",
        NUMPY_EU,
    ),
    _m("backtest", "analysis/backtest.py", "test_backtest.py test_backtest_by_hand.py"),
    # Added 2026-12-07 (fourth session): the kernel modules that the map missed, each the
    # private part of a model or analysis above (docs/testing.md, "Modules in the map").
    _m(
        "calibration",
        "analysis/calibration.py",
        "test_calibration.py test_calibration_record.py test_backtest_by_hand.py test_backtest.py"
        " test_brief.py",
    ),
    _m(
        "summary",
        "analysis/_summary.py",
        "test_summary_counts.py test_study_blocks.py test_uncertainty.py test_simulation_tables.py"
        " test_brief.py",
    ),
    _m(
        "verdict",
        "analysis/_flags.py analysis/_brief_parts.py analysis/_mixture.py",
        "test_brief.py test_stacking.py test_counterfactual.py test_timeline.py"
        " test_flags_by_hand.py test_mixture_by_hand.py test_brief_verdicts_by_hand.py"
        " test_brief_parts_by_hand.py",
    ),
    _m(
        "risk_parts",
        "analysis/_risk_shift.py analysis/_risk_study.py analysis/_risk_result.py",
        "test_risk.py test_budget_more.py test_timeline.py test_risk_parts_by_hand.py"
        " test_risk_result_by_hand.py",
    ),
    _m(
        "advice_parts",
        "analysis/_flip.py analysis/_goals.py analysis/_levers.py analysis/_closed.py"
        " analysis/_robustness.py",
        "test_advise.py test_cli_advise.py test_budget_advise.py test_advice_results.py"
        " test_advise_checks.py test_advise_by_hand.py test_advice_parts_by_hand.py"
        " test_advice_parts_more_by_hand.py test_advice_parts_flip_by_hand.py",
    ),
    _m(
        "patch",
        "analysis/_patch.py",
        "test_counterfactual.py test_counterfactual_by_hand.py test_stacking.py test_timeline.py"
        " test_patch_by_hand.py",
    ),
    _m(
        "kernel",
        "analysis/kernel.py",
        "test_contract.py test_budget.py test_budget_more.py test_memory.py test_extremes.py"
        " test_rows.py test_kernel_by_hand.py",
    ),
    _m(
        "timeline",
        "analysis/timeline.py analysis/_timeline_format.py analysis/_timeline_json.py",
        "test_timeline.py test_timeline_report.py test_timeline_by_hand.py"
        " test_timeline_load_and_run_by_hand.py",
    ),
    _m("fitted", "analysis/fitted.py", "test_fitted.py test_fitted_by_hand.py"),
    _m(
        "model_contract",
        "models/base.py models/__init__.py models/registry.py models/eu_options.py",
        "test_contract.py test_models.py test_expected_utility.py test_eu_defaults.py"
        " test_model_contract_by_hand.py",
    ),
    _m(
        "eu_engine",
        "models/_eu_fast.py",
        "test_eu_engine_choice.py test_eu_kernel.py test_expected_utility.py test_eu_by_hand.py"
        " test_eu_defaults.py",
    ),
    _m(
        "runner",
        "runner.py",
        "test_cli.py test_api.py test_stacking.py test_models.py test_runner_by_hand.py",
    ),
    _m(
        "arrays",
        "arrays.py",
        "test_contract.py test_models.py test_uncertainty.py test_arrays_by_hand.py",
    ),
)

#: The modules of ``analysis`` and ``models`` left out of the map, each with why: compiled
#: code (mutmut mutates Python functions only; each compiled kernel is tested against the
#: NumPy code it replaces), and code that computes no number a user reads.
EXEMPT: dict[str, str] = {
    "src/statecraft/analysis/__init__.py": "re-exports of the public names only",
    "src/statecraft/analysis/parallel.py": (
        "runs a study's blocks on threads, processes or Dask, computing nothing; every engine "
        "is tested to give the same bytes as one thread (test_parallel.py)"
    ),
    "src/statecraft/analysis/_triangular.py": (
        "compiled (numba); tested against NumPy's own draws, byte for byte (test_draws.py)"
    ),
    "src/statecraft/models/_eu_kernel.py": (
        "compiled (numba); tested against the NumPy round (test_eu_kernel.py)"
    ),
    "src/statecraft/models/_eu_trajectory.py": (
        "compiled (numba); tested against the NumPy round (test_eu_kernel.py)"
    ),
    "src/statecraft/models/_eu_vmath.py": (
        "compiled (numba); tested against the C library's log and exp (test_eu_kernel.py)"
    ),
    "src/statecraft/models/numba_setup.py": "numba's cache folder and threads, no arithmetic",
}


def _setup_cfg(module: Module) -> str:
    lines = ["[mutmut]", "source_paths = src", "only_mutate ="]
    lines += [f"    {s}" for s in module.sources]
    lines += ["pytest_add_cli_args_test_selection ="]
    lines += [f"    {t}" for t in module.tests]
    # No doctests of the whole package, no cache; the tests' own -x comes from mutmut.
    lines += ["pytest_add_cli_args =", "    -p", "    no:cacheprovider", "    --no-header"]
    # Files the tests read besides src and tests (the docs tables' scripts, the README).
    lines += ["also_copy ="] + [f"    {name}" for name in ALSO_COPY]
    return "\n".join(lines) + "\n"


def _prepare(module: Module, shared: Path) -> Path:
    scratch = BUILD / module.name
    if scratch.exists():
        shutil.rmtree(scratch)
    scratch.mkdir(parents=True)
    (scratch / "src").symlink_to(ROOT / "src", target_is_directory=True)
    (scratch / "tests").symlink_to(ROOT / "tests", target_is_directory=True)
    for name in ALSO_COPY:
        if (ROOT / name).exists():
            (scratch / name).symlink_to(ROOT / name)
    shutil.copy2(ROOT / "pyproject.toml", scratch / "pyproject.toml")
    if shared.is_dir():
        # tests/conftest.py looks for <repository>/../shared; the copy of tests runs from
        # <scratch>/mutants, so the data is found at <scratch>/shared.
        (scratch / "shared").symlink_to(shared, target_is_directory=True)
    (scratch / "setup.cfg").write_text(_setup_cfg(module), encoding="utf-8")
    return scratch


def _counts(scratch: Path) -> dict[str, int]:
    stats = scratch / "mutants" / "mutmut-cicd-stats.json"
    data = json.loads(stats.read_text(encoding="utf-8"))
    return {k: int(v) for k, v in data.items() if isinstance(v, int)}


def run_module(
    module: Module, max_children: int, shared: Path, only: tuple[str, ...] = ()
) -> dict[str, int]:
    """Mutate one module and run its tests against every mutant (or only the mutants whose
    names match the globs ``only``); return mutmut's counts."""
    scratch = _prepare(module, shared)
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **dict(module.env))
    # pytest's temporary folders under the scratch folder: runs of two modules at once would
    # otherwise clean each other's folders under the shared one (an error, since warnings are)
    (scratch / "tmp").mkdir()
    env["PYTEST_DEBUG_TEMPROOT"] = str(scratch / "tmp")
    # Processes started fresh (the web app's workers: forkserver or spawn) import the mutated
    # copy too; else a test comparing their answer with the mutant's own fails for every
    # mutant that changes the answer, a void kill (found in advise's run, test_web_levers.py)
    # The folder exists before mutmut starts: Python caches a missing PYTHONPATH entry as
    # absent for good, so a first run (no mutants yet) would find no statecraft at all.
    (scratch / "mutants" / "src").mkdir(parents=True)
    env["PYTHONPATH"] = os.pathsep.join(
        [str(scratch / "mutants" / "src"), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    cmd = [sys.executable, "-m", "mutmut", "run", "--max-children", str(max_children), *only]
    with (scratch / "mutmut.log").open("w", encoding="utf-8") as log:
        subprocess.run(cmd, cwd=scratch, env=env, check=False, stdout=log, stderr=log)
    export = [sys.executable, "-m", "mutmut", "export-cicd-stats"]
    subprocess.run(export, cwd=scratch, env=env, check=True, capture_output=True)
    return _counts(scratch)


def _rate(counts: dict[str, int]) -> str:
    killed = counts.get("killed", 0) + counts.get("timeout", 0)
    total = killed + counts.get("survived", 0) + counts.get("suspicious", 0)
    total += counts.get("no_tests", 0)
    return f"{killed}/{total} ({100 * killed / total:.0f}%)" if total else "no mutants"


def main(argv: list[str] | None = None) -> int:
    """Run the modules named (all when none) and print the kill rate of each."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("modules", nargs="*", help="module names (default: all)")
    parser.add_argument("--list", action="store_true", help="print the module -> tests map")
    parser.add_argument("--max-children", type=int, default=1, help="parallel mutants (1)")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="GLOB",
        help="run only the mutants whose names match GLOB (repeatable)",
    )
    parser.add_argument(
        "--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder (../shared)"
    )
    args = parser.parse_args(argv)
    by_name = {m.name: m for m in MODULES}
    if args.list:
        for m in MODULES:
            env = " ".join(f"{k}={v}" for k, v in m.env)
            print(f"{m.name:18} {' '.join(m.sources)}  <-  {' '.join(m.tests)} {env}".rstrip())
        return 0
    unknown = [n for n in args.modules if n not in by_name]
    if unknown:
        print(f"error: unknown module(s) {unknown}; known: {sorted(by_name)}", file=sys.stderr)
        return 2
    chosen = [by_name[n] for n in args.modules] if args.modules else list(MODULES)
    summary_path = BUILD / "summary.json"
    BUILD.mkdir(parents=True, exist_ok=True)
    summary = json.loads(summary_path.read_text()) if summary_path.exists() else {}
    for module in chosen:
        counts = run_module(module, args.max_children, args.shared, tuple(args.only))
        summary[module.name] = counts
        summary_path.write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n")
        print(f"{module.name}: killed {_rate(counts)} {counts}", flush=True)
    for name, counts in summary.items():
        print(f"{name:18} {_rate(counts)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
