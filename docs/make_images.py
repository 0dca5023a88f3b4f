"""Make the pictures in the README from the real command output: `python docs/make_images.py`.

The terminal picture is rich's own SVG export of ``statecraft forecast karabakh-2020``.
"""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

import statecraft as sc
from statecraft.cli import print_forecast

HERE = Path(__file__).resolve().parent


def main() -> None:
    console = Console(
        file=io.StringIO(),
        record=True,
        width=120,
        force_terminal=True,
        color_system="truecolor",
        markup=False,
    )
    print_forecast(sc.forecast("karabakh-2020"), console, ref="karabakh-2020")
    out = HERE / "img" / "karabakh-forecast.svg"
    console.save_svg(str(out), title="statecraft forecast karabakh-2020")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
