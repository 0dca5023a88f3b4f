"""Memory of the models and of whole studies, measured against the kernel's estimates.

Part 1, per model: tracemalloc's peak of one call of ``evaluate`` on a batch of draws of a
random scenario, beside :func:`statecraft.analysis.kernel.peak_memory` (the estimate from
which chunks are sized and over-large computations refused). A ratio above 1 means the
estimate is short.

Part 2, per model (``--studies``): the peak resident memory and the time of a Monte Carlo
study of the largest scenario the web app admits for that model (250 actors x 100 issues
for the fast models; 2,000 actor-issues for the slow ones), each in a fresh process that
reads its own high-water mark from /proc. Figures are from one run on this machine.

    .venv/bin/python benchmarks/memory_peaks.py [--studies] [--draws N] [--slow-draws N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import tracemalloc

import numpy as np

import statecraft as sc
from statecraft.analysis.kernel import model_generator, peak_memory
from statecraft.arrays import scenario_batch
from statecraft.models import build_models

SIZES = {
    "compromise": [(250, 100, 64), (1000, 10, 16)],
    "median": [(250, 100, 64), (1000, 10, 16)],
    "nash": [(250, 100, 64), (1000, 10, 16)],
    "kalai-smorodinsky": [(250, 100, 64), (1000, 10, 16)],
    "expected-utility": [(250, 8, 2), (500, 2, 1), (1000, 1, 1)],
    "exchange": [(50, 20, 1), (200, 4, 1), (100, 50, 1), (250, 20, 1)],
    "spatial": [(50, 10, 1), (100, 3, 1), (150, 1, 1), (200, 3, 1)],
}

# The study child: build the same random scenario, perturb it, run, report its peak.
STUDY = """
import sys, time
from pathlib import Path
sys.path.insert(0, {here!r})
from memory_peaks import random_scenario
from statecraft.analysis.uncertainty import simulate
from statecraft.scenario import Perturbation
model, n, m, draws = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
s = random_scenario(n, m).model_copy(update={{"perturb": Perturbation(relative=0.1)}})
t = time.perf_counter()
simulate(s, model, draws=draws, seed=1)
took = time.perf_counter() - t
status = Path("/proc/self/status").read_text().splitlines()
peak = next(line.split()[1] for line in status if line.startswith("VmHWM"))
print(f"{{took:.1f}} {{int(peak) / 1024:.0f}}")
"""


def random_scenario(n: int, m: int, seed: int = 0) -> sc.Scenario:
    """``n`` actors with random capabilities, positions and saliences on ``m`` issues."""
    rng = np.random.default_rng(seed)
    issues = [{"id": f"i{j}", "label": f"I{j}", "status_quo": 50} for j in range(m)]
    actors = [
        {
            "id": f"a{k}",
            "capability": float(rng.uniform(1, 100)),
            "stances": {
                f"i{j}": {
                    "position": float(rng.uniform(0, 100)),
                    "salience": float(rng.uniform(0.1, 1)),
                }
                for j in range(m)
            },
        }
        for k in range(n)
    ]
    return sc.Scenario.model_validate({"name": "random", "issues": issues, "actors": actors})


def per_model() -> None:
    print(f"{'model':18s} {'actors x issues':>16s} {'draws':>5s} {'peak':>10s} {'estimate':>10s}")
    for name, sizes in SIZES.items():
        for n, m, draws in sizes:
            (model,) = build_models([name], {})
            batch = scenario_batch(random_scenario(n, m)).take(np.zeros(draws, dtype=int))
            tracemalloc.start()
            model.evaluate(batch, model_generator(0, 0, model))
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            est = peak_memory(model, n, m, draws)
            print(
                f"{name:18s} {f'{n} x {m}':>16s} {draws:5d} {peak / 2**20:8.1f}Mi "
                f"{est / 2**20:8.1f}Mi  ratio {peak / est:.2f}",
                flush=True,
            )


def studies(draws: int, slow_draws: int) -> None:
    from pathlib import Path

    here = str(Path(__file__).resolve().parent)
    code = STUDY.format(here=here)
    print(f"\n{'model':18s} {'actors x issues':>16s} {'draws':>7s} {'time':>8s} {'peak RSS':>9s}")
    for name, cls in sc.available_models().items():
        slow = cls.cost == "slow"
        n, m = (250, 8) if slow else (250, 100)
        k = slow_draws if slow else draws
        t = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", code, name, str(n), str(m), str(k)],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode:
            print(f"{name:18s} failed after {time.perf_counter() - t:.0f} s: {out.stderr[-300:]}")
            continue
        took, peak = out.stdout.split()
        print(f"{name:18s} {f'{n} x {m}':>16s} {k:7d} {took:>7s}s {peak:>7s}Mi", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--studies", action="store_true")
    parser.add_argument("--draws", type=int, default=2000)
    parser.add_argument("--slow-draws", type=int, default=8)
    args = parser.parse_args()
    per_model()
    if args.studies:
        studies(args.draws, args.slow_draws)


if __name__ == "__main__":
    main()
