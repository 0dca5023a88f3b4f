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


# Blocks on threads in one process (issue 19): the same bytes, only where they fit


def _threads_in_flight(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Records the thread each block runs on."""
    from statecraft.analysis import _blocks, uncertainty

    seen: list[str] = []
    real = _blocks.run_block

    def spy(*args: Any, **kwargs: Any) -> Any:
        import threading

        seen.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(uncertainty, "run_block", spy)
    return seen


def test_blocks_on_two_threads_give_the_same_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    s = sc.load("karabakh-2020")
    models = ["compromise", "median", "nash"]
    draws = 5 * 4096 + 17  # six blocks, the last a short one
    seen = _threads_in_flight(monkeypatch)
    monkeypatch.setenv("STATECRAFT_THREADS", "1")
    one = simulate(s, models, draws=draws, seed=11)
    assert seen
    assert all(name == "MainThread" for name in seen)
    seen.clear()
    monkeypatch.setenv("STATECRAFT_THREADS", "2")
    two = simulate(s, models, draws=draws, seed=11)
    assert len(seen) == 6
    assert all(name.startswith("statecraft-block") for name in seen)
    assert two.to_dict() == one.to_dict()
    # the brief's study (gains counted as well) too
    from statecraft.analysis.brief import brief

    monkeypatch.setenv("STATECRAFT_THREADS", "1")
    b1 = brief(s, models=["compromise"], draws=draws, seed=2).to_dict()
    monkeypatch.setenv("STATECRAFT_THREADS", "2")
    assert brief(s, models=["compromise"], draws=draws, seed=2).to_dict() == b1


def test_when_blocks_run_on_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    from statecraft.analysis._blocks import block_threads, full_block_budget
    from statecraft.analysis.kernel import DEFAULT_MEMORY
    from statecraft.models import build_models

    s = sc.load("karabakh-2020")
    compromise = build_models(["compromise"], {})
    monkeypatch.setenv("STATECRAFT_THREADS", "8")
    assert block_threads(s, compromise, DEFAULT_MEMORY, 100) == 2  # at most two
    assert block_threads(s, compromise, DEFAULT_MEMORY, 1) == 1  # one block: one thread
    monkeypatch.setenv("STATECRAFT_THREADS", "1")
    assert block_threads(s, compromise, DEFAULT_MEMORY, 100) == 1
    monkeypatch.setenv("STATECRAFT_THREADS", "2")
    # a model that threads itself, or one that runs draw by draw in Python: one at a time
    for other in ("expected-utility", "exchange", "spatial"):
        assert block_threads(s, build_models(["compromise", other], {}), DEFAULT_MEMORY, 9) == 1
    # Each of two threads keeps to half the budget: half of that for a block's inputs, the
    # other half for the model's chunk, which must hold the whole block. On 9 actors x 5
    # issues a draw's inputs take 8 x (7 x 45 + 2 x 14) = 2,744 bytes and the compromise
    # model 8 x 8 x 45 = 2,880 more, nothing per call: a chunk of 4,096 draws needs
    # 4,096 x 5,624 = 23,035,904 bytes, so the budget needs 4 x that, 92,143,616
    assert full_block_budget(s) == 2 * 4096 * 2744  # the inputs' half alone asks less
    need = 4 * 4096 * (2744 + 2880)
    assert need == 92_143_616
    assert block_threads(s, compromise, need, 9) == 2
    assert block_threads(s, compromise, need - 4, 9) == 1  # a chunk of 4,095 draws


def test_an_interrupt_stops_the_threads_promptly(monkeypatch: pytest.MonkeyPatch) -> None:
    def stop(done: int, total: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setenv("STATECRAFT_THREADS", "2")
    r = simulate(sc.load("karabakh-2020"), "compromise", draws=40 * 4096, progress=stop)
    assert r.interrupted
    assert 0 < r.draws <= 3 * 4096  # the first block, and at most the two in flight
