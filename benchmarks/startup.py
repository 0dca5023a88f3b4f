"""The command line's start, whole process: `statecraft --version` and `python -c "import
statecraft.cli"`, median of N runs (issue 19's row: 0.25 s or less on the 2-core machine).

    python benchmarks/startup.py [N] [--python OTHER_PYTHON]

With --python, the same commands run under another interpreter too (e.g. a checkout of an
older version), in the same run, so that the ratio is measured on the same machine load.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time


def _time(argv: list[str], n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    args = sys.argv[1:]
    n = int(args.pop(0)) if args and args[0].isdigit() else 9
    pythons = [("this", sys.executable)]
    if "--python" in args:
        pythons.append(("other", args[args.index("--python") + 1]))
    for label, python in pythons:
        bare = _time([python, "-c", "pass"], n)
        version = _time([python, "-m", "statecraft", "--version"], n)
        cli = _time([python, "-c", "import statecraft.cli"], n)
        print(
            f"{label:5s} python alone {bare:.3f} s; statecraft --version {version:.3f} s; "
            f"import statecraft.cli {cli:.3f} s (median of {n})"
        )


if __name__ == "__main__":
    main()
