"""Every reader refuses cleanly, whatever the bytes: property-based fuzzing (hypothesis).

The property, for every reader (the native YAML and JSON, the CSV table, KTAB's CSV,
decide's input, DEU tables, counterfactual patches) and for format detection: the reader
returns a valid result or raises :class:`~statecraft.errors.ScenarioError` whose message
starts with the file's name, is one line of at most :data:`~statecraft.errors.MAX_MESSAGE`
characters and never shows pydantic's text (its 'For further information visit
https://errors.pydantic.dev/...'); no other exception escapes. The inputs: random bytes,
random text, long lines, deep nesting, text in other encodings, duplicated records and
mutations of the shipped examples (and of the shared data's examples, when ../shared is
there). Each test runs a bounded number of examples (``N_*``) with no deadline.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import statecraft as sc
from statecraft.analysis.counterfactual import Patch, load_patch
from statecraft.errors import MAX_MESSAGE, ScenarioError
from statecraft.io import Format, detect_format, dumps, read_text
from statecraft.io.deu import DeuTable, read_deu
from tests.conftest import SHARED_DATA

T = TypeVar("T")

N_BYTES = 150  # random bytes, per reader
N_MUTATIONS = 200  # mutations of the examples
N_DETECT = 300  # format detection
N_SMALL = 60  # encodings, duplicates, patches
N_DEEP = 20  # deep nesting (a deep YAML file takes about a second to refuse)


def fuzz(examples: int) -> settings:
    """Settings for a fuzz test: ``examples`` examples, no deadline, no example database."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )


def _builtin_texts() -> list[str]:
    folder = resources.files("statecraft.scenarios")
    return [p.read_text("utf-8") for p in folder.iterdir() if p.name.endswith(".yaml")]


def _shared(*patterns: str) -> list[str]:
    """The texts of the shared data's example files (none without ../shared)."""
    if not SHARED_DATA.is_dir():
        return []
    out = []
    for pattern in patterns:
        for path in sorted(SHARED_DATA.glob(pattern)):
            if path.stat().st_size < 40_000:
                out.append(path.read_text(encoding="utf-8"))
    return out


_SCENARIO = sc.load("ec-emissions-1994")
#: Example texts by format: the built-ins, written in every format, and the shared files.
SEEDS: dict[Format, list[str]] = {
    Format.YAML: _builtin_texts(),
    Format.JSON: [dumps(sc.load(n), "json") for n in sc.builtin_names()],
    Format.CSV: [dumps(sc.load(n), "csv") for n in sc.builtin_names()],
    Format.KTAB: [dumps(_SCENARIO, "ktab"), *_shared("cases/ktab/*.csv")],
    Format.DECIDE: [dumps(_SCENARIO, "decide"), *_shared("cases/decide/*")],
}
SUFFIX = {
    Format.YAML: ".yaml",
    Format.JSON: ".json",
    Format.CSV: ".csv",
    Format.KTAB: ".csv",
    Format.DECIDE: ".txt",
}

#: A small DEU table (tab-separated) and, when present, the start of the shared DEU III file.
DEU_TEXT = (
    "prnr\tisnr\tprname\tproc\tcounvte\tintro\tpcom\tpep\tpde\tscom\tsep\tsde\trp\tout\n"
    "p1\tp1i1\tCars\tCOD\tQMV\t26-01-00\t100\t60\t0\t50\t100\t80\t0\t50\n"
    "p1\tp1i2\tCars\tCOD\tQMV\t26-01-00\t0\t100\t\t100\t\t\t\t20\n"
    "p2\tp2i1\tFish\tCNS\tUnanimity\t03-05-12\t40\t\t70\t60\t\t90\t100\t65\n"
)
DEU_SEEDS = [DEU_TEXT] + [
    "\n".join(t.splitlines()[:25]) + "\n" for t in _shared("deu3/deu3-dev.tsv")
]
PATCH_SEEDS = [
    p.read_text("utf-8")
    for p in resources.files("statecraft.scenarios").joinpath("patches/karabakh-2020").iterdir()
    if p.name.endswith(".yaml")
]

#: Numbers as a file may write them, none a reader may turn into NaN, infinity or a crash.
WEIRD = [
    "nan", "NaN", "-nan", "inf", "-Infinity", "Infinity", ".inf", ".nan", "1e999", "-1e400",
    "9" * 400, "9" * 5000, "170", "-5", "0", "", "x", "1e-320", "5e-324", "0x10", "1_000",
    "٣", "1,5", "'", '"', "#A", "{", "[", "&a", "*a", "!!python/object:os.system",
    "!!int x", "!!float x", "!!timestamp 2001-99-99", "!!binary @", "!!set {a}", "&a [*a]",
    "!!int 0x1F", "? [a]", "---",
]  # fmt: skip
LONG = ["a" * 140_000, '"' + "b" * 140_000 + '"', "'" + "c" * 140_000 + "'", "{" * 50_000]
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")


@st.composite
def mutated(draw: st.DrawFn, seeds: list[str]) -> str:
    """A seed text with one to four edits: lines deleted, doubled, swapped, emptied or cut;
    numbers replaced by odd ones; random or very long text inserted."""
    lines = draw(st.sampled_from(seeds)).split("\n")
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        kind = draw(
            st.sampled_from(
                ["delete", "double", "swap", "number", "insert", "long", "cut", "empty"]
            )
        )
        if not lines:
            lines = [""]
        if kind == "delete":
            del lines[i]
        elif kind == "double":
            lines.insert(draw(st.integers(0, len(lines))), lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "number":
            weird = draw(st.sampled_from(WEIRD)).replace("\\", "\\\\")
            lines[i] = _NUMBER.sub(weird, lines[i], count=draw(st.integers(0, 3)))
        elif kind == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.text(max_size=20)) + lines[i][at:]
        elif kind == "long":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.sampled_from(LONG)) + lines[i][at:]
        elif kind == "cut":
            lines = lines[: i + 1]
            lines[-1] = lines[-1][: draw(st.integers(0, len(lines[-1])))]
        else:
            lines[i] = ""
    return "\n".join(lines)


def assert_clean(exc: ScenarioError, label: str) -> None:
    """The message of a refusal: names the file first, one line, bounded, no pydantic."""
    message = str(exc)
    assert message.startswith(label), message[:200]
    assert "\n" not in message, message[:200]
    assert "\r" not in message, message[:200]
    assert len(message) <= MAX_MESSAGE
    assert "pydantic" not in message.lower(), message
    assert "For further information" not in message


def outcome(call: Callable[[], T], label: str) -> T | None:
    """The reader's result, or None when it refused cleanly (anything else fails the test)."""
    try:
        return call()
    except ScenarioError as exc:
        assert_clean(exc, label)
        return None


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


def _load_bytes(folder: Path, raw: bytes, suffix: str) -> None:
    path = folder / f"fuzz{suffix}"
    path.write_bytes(raw)
    result = outcome(lambda: sc.load(path), str(path))
    assert result is None or isinstance(result, sc.Scenario)


# --- format detection ---------------------------------------------------------------------


@fuzz(N_DETECT)
@given(
    text=st.one_of(st.text(), mutated([t for seeds in SEEDS.values() for t in seeds])),
    suffix=st.sampled_from(["", ".yaml", ".json", ".csv", ".txt", ".tsv"]),
)
@example(text="name: x\ndescription: " + "a" * 200_000 + "\n", suffix=".yaml")
@example(text='"' + "a" * 200_000 + '",b\nActor,Description\n', suffix=".csv")
@example(text="'#A'\t'" + "a" * 200_000 + "'\n", suffix=".txt")
@example(text="[" * 100_000, suffix="")
def test_format_detection_never_raises(text: str, suffix: str) -> None:
    assert detect_format(f"f{suffix}", text) in set(Format)


# --- random bytes, every reader -----------------------------------------------------------


@fuzz(N_BYTES)
@given(raw=st.binary(max_size=3000), suffix=st.sampled_from(["", ".yaml", ".json", ".csv", ".txt"]))
def test_load_random_bytes(folder: Path, raw: bytes, suffix: str) -> None:
    _load_bytes(folder, raw, suffix)


@fuzz(N_BYTES)
@given(text=st.text(max_size=2000), fmt=st.sampled_from(list(Format)))
def test_read_text_random_text(text: str, fmt: Format) -> None:
    result = outcome(lambda: read_text(text, fmt, file="fuzz-input"), "fuzz-input")
    assert result is None or isinstance(result, sc.Scenario)


@fuzz(N_BYTES)
@given(raw=st.binary(max_size=3000))
def test_deu_random_bytes(folder: Path, raw: bytes) -> None:
    path = folder / "fuzz.tsv"
    path.write_bytes(raw)
    result = outcome(lambda: read_deu(path), str(path))
    assert result is None or result.issues


@fuzz(N_BYTES)
@given(raw=st.binary(max_size=2000))
def test_patch_random_bytes(folder: Path, raw: bytes) -> None:
    path = folder / "fuzz-patch.yaml"
    path.write_bytes(raw)
    result = outcome(lambda: load_patch(path), str(path))
    assert result is None or isinstance(result, Patch)


# --- mutations of the examples ------------------------------------------------------------


@fuzz(N_MUTATIONS)
@given(data=st.data(), fmt=st.sampled_from(list(Format)))
def test_load_mutated_examples(folder: Path, data: st.DataObject, fmt: Format) -> None:
    text = data.draw(mutated(SEEDS[fmt]))
    path = folder / f"mutated{SUFFIX[fmt]}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = outcome(lambda: sc.load(path), str(path))
    assert result is None or isinstance(result, sc.Scenario)
    # The same text, read in the format it came from rather than the one detected.
    again = outcome(lambda: read_text(text, fmt, file="as-given", name="m"), "as-given")
    assert again is None or isinstance(again, sc.Scenario)


@fuzz(N_MUTATIONS)
@given(text=mutated(DEU_SEEDS), rule=st.sampled_from(["equal", "council", "bicameral"]))
def test_deu_mutated(text: str, rule: str) -> None:
    table = outcome(lambda: read_deu("deu-table", text=text, capability=rule), "deu-table")
    assert table is None or (isinstance(table, DeuTable) and table.issues)


@fuzz(N_SMALL)
@given(text=mutated(PATCH_SEEDS))
def test_patch_mutated(folder: Path, text: str) -> None:
    path = folder / "mutated-patch.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    outcome(lambda: load_patch(path), str(path))


# --- deep nesting, encodings, duplicates --------------------------------------------------

_NESTS = {
    "json-lists": lambda n: "[" * n + "]" * n,
    "json-objects": lambda n: '{"a":' * n + "1" + "}" * n,
    "json-open": lambda n: '{"name": ' + "[" * n,
    "yaml-flow": lambda n: "name: " + "[" * n + "]" * n,
    "yaml-block": lambda n: "".join("  " * k + "- \n" for k in range(min(n, 300))),
    "yaml-mappings": lambda n: "".join("  " * k + "a:\n" for k in range(min(n, 300))),
    "yaml-dashes": lambda n: "- " * n + "x",
    "yaml-cycle": lambda n: "name: &a [" * (n % 5 + 1) + "*a" + "]" * (n % 5 + 1),
    "yaml-aliases": lambda n: "".join(
        f"a{k}: &a{k} [*a{k - 1}, *a{k - 1}]\n" for k in range(1, 30)
    ).replace("*a0, *a0", "x")[: n * 40],
}


@fuzz(N_DEEP)
@given(
    form=st.sampled_from(sorted(_NESTS)),
    depth=st.one_of(st.integers(1, 100), st.sampled_from([900, 1000, 5000, 100_000])),
    suffix=st.sampled_from([".json", ".yaml", ""]),
)
def test_deep_nesting(folder: Path, form: str, depth: int, suffix: str) -> None:
    _load_bytes(folder, _NESTS[form](depth).encode(), suffix)


@fuzz(N_SMALL)
@given(
    data=st.data(),
    fmt=st.sampled_from(list(Format)),
    encoding=st.sampled_from(
        ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-16-le", "utf-16-be", "utf-32"]
    ),
    accent=st.sampled_from(["", "é", "ü", "€", "’", "ø"]),
)
def test_other_encodings(
    folder: Path, data: st.DataObject, fmt: Format, encoding: str, accent: str
) -> None:
    text = data.draw(st.sampled_from(SEEDS[fmt]))
    at = data.draw(st.integers(0, len(text)))
    raw = (text[:at] + accent + text[at:]).encode(encoding, errors="replace")
    cut = data.draw(st.integers(0, 3))  # a file cut in the middle of a character
    _load_bytes(folder, raw[: len(raw) - cut] if cut else raw, SUFFIX[fmt])


@fuzz(N_SMALL)
@given(data=st.data(), fmt=st.sampled_from(list(Format)))
def test_duplicated_records_are_refused(data: st.DataObject, fmt: Format) -> None:
    """A record given twice (a decide record, a table row, a KTAB actor row, a YAML key) is
    refused, never read last-wins."""
    text = data.draw(st.sampled_from(SEEDS[fmt]))
    lines = text.split("\n")
    if fmt is Format.YAML:
        candidates = [i for i, line in enumerate(lines) if re.match(r"^\s*[a-z_]+:", line)]
    elif fmt is Format.JSON:
        candidates = [i for i, line in enumerate(lines) if re.match(r'^\s*"\w+": [^{\[]+,$', line)]
    elif fmt is Format.DECIDE:
        candidates = [
            i for i, line in enumerate(lines) if line.startswith(("'#A'", "'#P'", "'#D'"))
        ]
    elif fmt is Format.KTAB:
        candidates = list(range(2, len([line for line in lines if line.strip()])))
    else:
        candidates = list(range(1, len([line for line in lines if line.strip()])))
    i = data.draw(st.sampled_from(candidates))
    lines.insert(i + 1, lines[i])
    with pytest.raises(ScenarioError) as info:
        read_text("\n".join(lines), fmt, file="twice")
    assert_clean(info.value, "twice")
    assert re.search(r"duplicate|twice|two rows|says \d+ actors", str(info.value)), info.value


@fuzz(N_SMALL)
@given(data=st.data())
def test_deu_duplicated_row_is_refused(data: st.DataObject) -> None:
    lines = data.draw(st.sampled_from(DEU_SEEDS)).rstrip("\n").split("\n")
    i = data.draw(st.integers(1, len(lines) - 1))
    lines.insert(data.draw(st.integers(i + 1, len(lines))), lines[i])
    with pytest.raises(ScenarioError) as info:
        read_deu("twice", text="\n".join(lines) + "\n")
    assert_clean(info.value, "twice")
    assert "has two rows, lines" in str(info.value)


def test_fuzz_examples_cover_every_format() -> None:
    """Every format has seeds to mutate, and each seed reads as it is (else the mutations
    would only fuzz the first error)."""
    for fmt, seeds in SEEDS.items():
        assert seeds, fmt
        for text in seeds:
            assert isinstance(read_text(text, fmt, file="seed", name="seed"), sc.Scenario)
    for text in DEU_SEEDS:
        assert read_deu("seed", text=text).issues
    for text in PATCH_SEEDS:
        assert isinstance(load_patch_text(text), Patch)


def load_patch_text(text: str) -> Any:
    from statecraft.analysis.counterfactual import patch_from_data
    from statecraft.io import load_yaml_data

    data, lines = load_yaml_data(text, file="seed")
    return patch_from_data(data, label="seed", lines=lines)
