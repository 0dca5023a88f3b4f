"""``make mutation``'s map (scripts/mutation.py) covers every module of the engine and the
analyses (issue 22: "every model, winners, uncertainty, sensitivity, counterfactuals,
backtest scoring, and the verdict, risk and advice modules as they arrive"): a module added
later is either mapped to the tests that exercise it or exempted with a reason."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mutation", ROOT / "scripts" / "mutation.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("mutation", module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_every_engine_module_is_mapped_or_exempted_with_a_reason() -> None:
    script = _script()
    mapped = [source for m in script.MODULES for source in m.sources]
    assert len(mapped) == len(set(mapped)), "a source is mutated in two modules"
    found = sorted(
        str(p.relative_to(ROOT))
        for package in ("analysis", "models")
        for p in (ROOT / "src" / "statecraft" / package).glob("*.py")
    )
    # the scenario's arrays and the point forecast's table, outside those packages
    found += ["src/statecraft/arrays.py", "src/statecraft/runner.py"]
    assert len(found) > 50  # the glob ran over the packages
    missing = [f for f in found if f not in mapped and f not in script.EXEMPT]
    assert missing == [], f"add to MODULES or EXEMPT in scripts/mutation.py: {missing}"
    both = sorted(set(mapped) & set(script.EXEMPT))
    assert both == [], f"both mapped and exempted: {both}"
    assert all(len(why) > 15 for why in script.EXEMPT.values())


def test_every_file_the_map_names_exists() -> None:
    script = _script()
    named = [f for m in script.MODULES for f in (*m.sources, *m.tests)]
    named += list(script.EXEMPT)
    gone = [f for f in named if not (ROOT / f.split("::")[0]).is_file()]
    assert gone == []
    assert len({m.name for m in script.MODULES}) == len(script.MODULES)
