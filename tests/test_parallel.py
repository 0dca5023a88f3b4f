"""Local worker processes: never more than the CPUs or the blocks (a study with --workers
100000 must not start 100,000 interpreters)."""

from __future__ import annotations

from typing import Any, ClassVar

import pytest

import statecraft as sc
from statecraft.analysis import parallel
from statecraft.analysis.uncertainty import simulate


class _Pool:
    """Stands for ProcessPoolExecutor: records its size, runs the blocks in this process."""

    sizes: ClassVar[list[int]] = []

    def __init__(self, max_workers: int, initializer: Any = None) -> None:
        self.sizes.append(max_workers)

    def submit(self, fn: Any, *args: Any) -> Any:
        from concurrent.futures import Future

        f: Future[Any] = Future()
        f.set_result(fn(*args))
        return f

    def shutdown(self, **_: Any) -> None:
        pass


@pytest.fixture
def pool(monkeypatch: pytest.MonkeyPatch) -> type[_Pool]:
    import concurrent.futures

    _Pool.sizes = []
    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", _Pool)
    return _Pool


def test_one_block_runs_here_whatever_the_workers(pool: type[_Pool]) -> None:
    simulate(sc.load("karabakh-2020"), "compromise", draws=100, workers=100_000)
    assert pool.sizes == []  # 100 draws are one block: no process at all


def test_processes_at_most_the_cpus_and_the_blocks(
    pool: type[_Pool], monkeypatch: pytest.MonkeyPatch
) -> None:
    s = sc.load("karabakh-2020")
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 2)
    three_blocks = 3 * 4096
    a = simulate(s, "compromise", draws=three_blocks, workers=100_000, seed=4)
    assert pool.sizes == [2]
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 64)
    b = simulate(s, "compromise", draws=three_blocks, workers=100_000, seed=4)
    assert pool.sizes == [2, 3]  # three blocks: three processes
    assert (
        a.to_dict()
        == b.to_dict()
        == simulate(s, "compromise", draws=three_blocks, seed=4).to_dict()
    )
