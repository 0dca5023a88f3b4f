"""The package's layers and its import graph (docs/contributing/architecture.md).

The contracts of ``[tool.importlinter]`` in pyproject.toml are run here as ``make lint`` runs
them (``lint-imports``), and the import graph of ``statecraft`` must hold no cycle.

What counts as an import, in both: every import that grimp (import-linter's graph builder)
finds in the source, at module level or inside a function, including those under
``if TYPE_CHECKING:`` (an annotation depends on the module that defines its type).

The rule for packages and their own submodules: no exception. A package's ``__init__``
importing its submodules (the re-export pattern) is an edge like any other, and so is a
submodule importing its own package; only both together make a cycle, and such a cycle means
that the submodule runs against a half-initialised package: it works only while the names it
takes are bound before the package imports it, and breaks when someone reorders the imports.
So a submodule imports a name from the module that defines it (``statecraft.io._common``),
never from its own package's ``__init__`` (``statecraft.io``). An import of ``a.b.c`` is an
edge to ``a.b.c`` alone: grimp does not add edges to the packages ``a`` and ``a.b`` that
Python initialises on the way, so importing a submodule of another package is no import of
that package's ``__init__``.

import-linter and grimp are in the ``dev`` extra; without them these tests skip.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MISSING = "import-linter is not installed (it is in the dev extra: pip install -e '.[dev]')"


def strongly_connected(edges: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The cycles of a directed graph: its strongly connected components of more than one
    node, or of one node that imports itself, each sorted (Tarjan 1972, "Depth-first search
    and linear graph algorithms", SIAM J. Computing 1(2), iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges.get(root, ()))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in edges.get(node, ()):
                    found.append(sorted(component))
    return sorted(found)


def test_strongly_connected_finds_the_cycles_by_hand() -> None:
    # a -> b -> c -> a is a cycle, c -> d leads out of it, d -> d imports itself, e -> f and
    # f -> g form none.
    edges = {"a": ["b"], "b": ["c"], "c": ["a", "d"], "d": ["d"], "e": ["f"], "f": ["g"]}
    assert strongly_connected(edges) == [["a", "b", "c"], ["d"]]
    # Two cycles joined one way only stay two; joined both ways they become one.
    edges = {"a": ["b"], "b": ["a", "c"], "c": ["d"], "d": ["c"]}
    assert strongly_connected(edges) == [["a", "b"], ["c", "d"]]
    edges = {"a": ["b"], "b": ["a", "c"], "c": ["d"], "d": ["c", "a"]}
    assert strongly_connected(edges) == [["a", "b", "c", "d"]]


def test_no_import_cycles() -> None:
    grimp = pytest.importorskip("grimp", reason=MISSING)
    graph = grimp.build_graph("statecraft", cache_dir=None)
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    assert len(edges) > 50, "the graph misses most of the package"
    cycles = strongly_connected(edges)
    details = [
        f"{a} -> {b} (line {d['line_number']}: {d['line_contents']})"
        for cycle in cycles
        for a in cycle
        for b in sorted(edges[a] & set(cycle))
        for d in graph.get_import_details(importer=a, imported=b)[:1]
    ]
    assert cycles == [], "import cycles:\n" + "\n".join(details)


def test_import_contracts_are_kept(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("importlinter", reason=MISSING)
    from importlinter.cli import lint_imports

    code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    report = capsys.readouterr().out
    assert "broken" in report.lower(), "import-linter printed no summary"
    assert code == 0, report
