"""The largest study the web app admits, per model, through the web app and on the command
line: wall time and peak resident memory, measured in one run on this machine.

The web app admits 250 actors x 100 issues for the fast models and 2,000 actor-issues
(250 x 8 here) for the slow ones, up to 200,000 draws, within ``study_seconds`` (900 s).
Memory does not grow with the number of draws (studies run in blocks sized from the
model's cost), so a study of ``--draws`` draws shows the peak of any longer one; its time
per draw says how many draws fit in the web app's time limit.

Web: a fresh Python process serves the app in-process (Starlette's TestClient), uploads
the scenario as a CSV table (the only format of this size under the 1 MiB body limit),
starts the study with POST /api/studies, polls it, then reads the high-water mark
(VmHWM) of its worker processes. Command line: ``statecraft simulate FILE --perturb 0.1``
in a fresh process, whose peak comes from wait4's rusage.

    .venv/bin/python benchmarks/web_vs_cli.py [--draws N] [--slow-draws N] [--models a,b]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import statecraft as sc

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent / "statecraft"

WEB = """
import os, sys, time
from pathlib import Path
from fastapi.testclient import TestClient
from statecraft.web import create_app
path, model, draws, store = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]

def descendants(pid):
    kids = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                kids.append(int(d.name))
    return kids + [k for kid in kids for k in descendants(kid)]

def hwm(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM"):
            return int(line.split()[1]) / 1024
    return 0.0

with TestClient(create_app(store=store), base_url="http://localhost") as c:
    up = c.post("/api/scenarios", params={"name": "big.csv"}, content=Path(path).read_bytes(),
                headers={"Content-Type": "application/octet-stream"})
    assert up.status_code == 201, up.text[:300]
    t = time.perf_counter()
    body = {"scenario": up.json()["id"], "model": model, "draws": draws, "perturb": 0.1}
    started = c.post("/api/studies", json=body)
    assert started.status_code == 202, started.text[:300]
    poll = f"/api/studies/{started.json()['id']}"
    while (state := c.get(poll).json())["status"] in ("running", "recording"):
        time.sleep(0.2)
    took = time.perf_counter() - t
    assert state["status"] == "done", state
    workers = max(hwm(p) for p in descendants(os.getpid()))
    print(f"{took:.1f} {workers:.0f} {hwm(os.getpid()):.0f}")
"""


def table(n: int, m: int, seed: int = 0) -> str:
    """A random scenario of ``n`` actors on ``m`` issues as a compact CSV table."""
    rng = np.random.default_rng(seed)
    rows = ["actor,issue,capability,position,salience,status_quo"]
    for k in range(n):
        cap = int(rng.integers(1, 101))
        for j in range(m):
            rows.append(f"a{k},i{j},{cap},{rng.integers(0, 101)},{rng.uniform(0.1, 1):.2f},50")
    return "\n".join(rows) + "\n"


def cli(path: Path, model: str, draws: int) -> tuple[float, float]:
    args = [str(BIN), "simulate", str(path), "-m", model, "-n", str(draws)]
    args += ["--perturb", "0.1", "--no-store", "-f", "json"]
    t = time.perf_counter()
    child = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    took = time.perf_counter() - t
    if status:
        raise RuntimeError(child.stderr.read().decode()[-300:] if child.stderr else "")
    return took, usage.ru_maxrss / 1024


def web(path: Path, model: str, draws: int, store: str) -> tuple[float, float, float]:
    out = subprocess.run(
        [sys.executable, "-c", WEB, str(path), model, str(draws), store],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode:
        raise RuntimeError(out.stderr[-500:])
    took, worker, server = out.stdout.split()
    return float(took), float(worker), float(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--draws", type=int, default=2000)
    parser.add_argument("--slow-draws", type=int, default=2)
    parser.add_argument("--models", default=",".join(sc.available_models()))
    args = parser.parse_args()
    print(
        f"{'model':18s} {'size':>9s} {'draws':>6s} | {'web s':>7s} {'worker':>8s} "
        f"{'server':>8s} | {'CLI s':>7s} {'CLI RSS':>8s} | draws in 900 s"
    )
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.models.split(","):
            slow = sc.available_models()[name].cost == "slow"
            n, m = (250, 8) if slow else (250, 100)
            k = args.slow_draws if slow else args.draws
            path = Path(tmp) / f"{n}x{m}.csv"
            if not path.exists():
                path.write_text(table(n, m))
            wt, worker, server = web(path, name, k, str(Path(tmp) / "runs.sqlite"))
            ct, rss = cli(path, name, k)
            fits = int(900 / (wt / k))
            print(
                f"{name:18s} {f'{n}x{m}':>9s} {k:6d} | {wt:6.1f}s {worker:6.0f}Mi "
                f"{server:6.0f}Mi | {ct:6.1f}s {rss:6.0f}Mi | ~{fits:,}",
                flush=True,
            )


if __name__ == "__main__":
    main()
