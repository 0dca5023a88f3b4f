"""The tutorial notebook, docs/tutorial.ipynb, runs from top to bottom without an error (issue
20): executed here with nbclient, so that it cannot rot."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

NOTEBOOK = ROOT / "docs" / "tutorial.ipynb"

#: The steps of the Karabakh analysis the tutorial walks, each by the call that makes it.
STEPS = (
    'sc.load("karabakh-2020")',
    "sc.forecast(",
    "sc.brief(",
    "sc.simulate(",
    "sc.one_at_a_time(",
    "sc.compare(",
    "sc.advise(",
    "sc.risk(",
    "sc.timeline(",
    "render_report(",
)


def _code(nb: dict[str, Any]) -> list[str]:
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def test_the_tutorial_walks_every_step_and_is_stored_clean() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = "\n".join(_code(nb))
    positions = [code.index(step) for step in STEPS]
    assert positions == sorted(positions)  # in the order of the analysis
    # stored without outputs: the test makes them, and the diffs stay readable
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == []
            assert cell["execution_count"] is None


def test_the_tutorial_runs(tmp_path: Path) -> None:
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = nbclient.NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError naming the cell on any error
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    # every result the tutorial shows bare is shown as its HTML table (Notebook._repr_html_)
    shown = [
        o["data"]["text/html"]
        for o in outputs
        if o.output_type == "execute_result" and "text/html" in o["data"]
    ]
    ours = [h for h in shown if h.startswith('<div class="statecraft">')]
    # the scenario, forecast, brief, simulation, sensitivity, comparison, advice, risk and
    # timeline run (the frames are pandas' own tables)
    assert len(ours) == 9
    assert any("Karabakh" in h for h in ours)
