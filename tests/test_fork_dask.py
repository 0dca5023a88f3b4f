"""A Dask study runs in a process forked from one that ran a Dask study before.

``make mutation`` (mutmut) forks each mutant's test run from a process that has run every
test once; distributed's offload thread does not survive a fork, and ``tests/conftest.py``
renews it in the child. Without that, the child's study waits for ever (this test then
fails at its 60 s limit)."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest

from statecraft.analysis import uncertainty as u
from tests.child import in_forked_child
from tests.test_uncertainty import _with_ranges

distributed = pytest.importorskip("dask.distributed")


def _study(data: dict[str, Any]) -> str:
    with (
        distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False) as cluster,
        distributed.Client(cluster) as client,
    ):
        result = u.simulate(_with_ranges(data), "compromise", draws=5000, seed=3, dask=client)
    return json.dumps(result.to_dict())


@pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only")
def test_a_forked_child_runs_a_dask_study(tiny: dict[str, Any], tmp_path: Any) -> None:
    parent = _study(tiny)  # starts distributed's offload thread in this process
    out = tmp_path / "child.json"

    def study() -> bool:  # the same study in the child, its JSON to a file
        out.write_text(_study(tiny), encoding="utf-8")
        return True

    in_forked_child(study, "the Dask study in the forked child")
    assert out.read_text(encoding="utf-8") == parent
