"""Monte Carlo throughput and memory: draws per second for every model, 1 and 2 workers.

Prints draws per second of ``statecraft.analysis.uncertainty.simulate`` for every model on
``ec-emissions-1994`` (every number perturbed by 20%), ``karabakh-2020`` (10%) and KTAB's
160-actor file (first dimension, 10%; skipped without ../shared), with 1 and 2 worker
processes; then the peak memory of a 1,000,000-draw study of ``karabakh-2020`` against a
10,000-draw one, each measured in a fresh process. Figures are from one run on this machine.

    .venv/bin/python benchmarks/mc_speed.py [--quick]
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import time
from pathlib import Path

import statecraft as sc
from statecraft.analysis.uncertainty import simulate
from statecraft.scenario import Perturbation

ROOT = Path(__file__).resolve().parents[1]
KTAB160 = ROOT.parent / "shared" / "data" / "cases" / "ktab" / "dummyData-a160.csv"

DRAWS = {"compromise": 400_000, "median": 400_000, "nash": 40_000, "expected-utility": 10_000}

# The child reads its own high-water mark from /proc (ru_maxrss can carry the parent's
# peak across fork and exec).
MEMORY = """
import sys, statecraft as sc
from pathlib import Path
from statecraft.analysis.uncertainty import simulate
from statecraft.scenario import Perturbation
s = sc.load("karabakh-2020").model_copy(update={"perturb": Perturbation(relative=0.1)})
simulate(s, "compromise", draws=int(sys.argv[1]), seed=1)
status = Path("/proc/self/status").read_text().splitlines()
print(next(line.split()[1] for line in status if line.startswith("VmHWM")))
"""


def ktab160() -> sc.Scenario | None:
    if not KTAB160.exists():
        return None
    rows = [r for r in list(csv.reader(KTAB160.read_text().splitlines()))[2:] if len(r) > 4]
    actors = [
        {
            "id": f"a{k}",
            "capability": float(r[2]),
            "stances": {"x": {"position": float(r[3]), "salience": float(r[4]) / 100}},
        }
        for k, r in enumerate(rows)
    ]
    data = {
        "name": "ktab-160",
        "issues": [{"id": "x", "label": "XYZ", "status_quo": 50}],
        "actors": actors,
    }
    return sc.Scenario.model_validate(data)


def rate(s: sc.Scenario, model: str, draws: int, workers: int) -> float:
    start = time.perf_counter()
    simulate(s, model, draws=draws, seed=1, workers=workers)
    return draws / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a tenth of the draws")
    args = parser.parse_args()
    scale = 10 if args.quick else 1
    cases = [
        ("ec-emissions-1994", sc.load("ec-emissions-1994"), 0.2),
        ("karabakh-2020", sc.load("karabakh-2020"), 0.1),
    ]
    big = ktab160()
    if big is not None:
        cases.append(("ktab-160 (1 dim)", big, 0.1))
    print(f"{'scenario':<20}{'model':<18}{'draws':>9}{'1 worker/s':>14}{'2 workers/s':>14}")
    for label, scenario, relative in cases:
        s = scenario.model_copy(update={"perturb": Perturbation(relative=relative)})
        for model, draws in DRAWS.items():
            n = draws // scale
            if label.startswith("ktab") and model == "expected-utility":
                n = max(n // 10, 1024)
            try:
                one = rate(s, model, n, 1)
                two = rate(s, model, n, 2)
            except ValueError:
                continue
            print(f"{label:<20}{model:<18}{n:>9,}{one:>14,.0f}{two:>14,.0f}")
    for draws in (10_000, 1_000_000):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", MEMORY, str(draws)], capture_output=True, text=True, check=True
        )
        elapsed = time.perf_counter() - start
        peak = int(out.stdout.strip()) / 1024
        print(
            f"karabakh-2020, compromise, {draws:>9,} draws: "
            f"peak memory {peak:,.0f} MiB, {elapsed:.1f} s"
        )


if __name__ == "__main__":
    main()
