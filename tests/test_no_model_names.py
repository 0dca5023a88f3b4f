"""No source file outside a model's own module names a model.

Front ends, the report and the analyses pick models by their metadata (``cost``,
``links_issues``), by a capability or the class of their details, or take the first registered
model (:func:`statecraft.models.default_model`); never by a name written in the code. The
names come from the registry, so a new model is covered as soon as it is registered.
"""

from __future__ import annotations

import re
from pathlib import Path

from statecraft.models import available_models

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "statecraft"

#: Where a model's name may stand, with the reason.
EXEMPT = {
    "models": "the models' own modules, and their registry",
    "analysis/fitted.py": "a fitted family is a refit of particular published models (the "
    "expected utility model's Q and T; a learnt combination of the compromise, median and "
    "expected utility forecasts): the models it names are what the family is",
    "data/deu-fitted.json": "the fitted parameters that analysis/fitted.py writes and reads, "
    "keyed by the models they refit",
    "data/model-errors.json": "the models' error record that scripts/fit_errors.py writes, "
    "keyed by the names of the registry's models",
}

#: Quoted strings that are a model's name but do not stand for the model: (file, the text
#: on the line, why). The text is cut from the line before it is searched.
NOT_A_MODEL = (
    ("analysis/uncertainty.py", '"median": s.median', "the statistic of a summary"),
    ("report/_scales.py", '["median"]', "the column of the rounds' records (the round's median)"),
    ("analysis/_brief_parts.py", '"median": self.median', "the statistic of a gain's draws"),
    ("analysis/_brief_parts.py", '"median": f.median', "the statistic of a forecast's draws"),
    ("analysis/brief.py", '"median": g.median', "the statistic of a gain's draws"),
    ("analysis/_risk_result.py", '"median": self.median', "the statistic of a risk's draws"),
    ("analysis/_risk_result.py", '"median": band.median', "the statistic of a risk's draws"),
)

#: A doctest's lines (``>>>`` and ``...``) show the API called by a model's name; they run,
#: so a renamed model fails them.
DOCTEST = re.compile(r"^\s*(>>>|\.\.\.)\s")


def quoted_names(text: str, names: list[str], path: str = "") -> list[tuple[int, str]]:
    """Each line of ``text`` (numbered from 1) that holds one of ``names`` in quotes."""
    alternatives = "|".join(re.escape(n) for n in names)
    pattern = re.compile(r"(\"|')(" + alternatives + r")\1")
    hits = []
    for number, line in enumerate(text.splitlines(), 1):
        if DOCTEST.match(line):
            continue
        for where, snippet, _ in NOT_A_MODEL:
            if path == where:
                line = line.replace(snippet, "")
        if match := pattern.search(line):
            hits.append((number, match.group(2)))
    return hits


def _exempt(relative: str) -> bool:
    return any(relative == e or relative.startswith(e + "/") for e in EXEMPT)


def test_no_source_file_names_a_model() -> None:
    names = list(available_models())
    found = []
    scanned = 0
    for path in sorted(PACKAGE.rglob("*")):
        relative = path.relative_to(PACKAGE).as_posix()
        if not path.is_file() or "__pycache__" in path.parts or _exempt(relative):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # not text
        scanned += 1
        found += [
            f"src/statecraft/{relative}:{line}: {name!r}"
            for line, name in quoted_names(text, names, relative)
        ]
    assert scanned > 50  # the whole package, the page's script and the templates included
    assert found == [], "model names in source files:\n" + "\n".join(found)


def test_the_scan_finds_a_name_and_its_line() -> None:
    text = 'a = 1\nmodel = "nash"\nx = f(\'spatial\', "nashville")\n>>> forecast(s, "median")\n'
    assert quoted_names(text, ["nash", "spatial", "median"]) == [(2, "nash"), (3, "spatial")]
    # the same text in a file whose snippet does not stand for a model is cut, not skipped
    line = 'row = {"median": s.median, "model": "median"}'
    assert quoted_names(line, ["median"], "analysis/uncertainty.py") == [(1, "median")]
    assert quoted_names(line, ["median"], "report/html.py") == [(1, "median")]
    assert quoted_names('{"median": s.median}', ["median"], "analysis/uncertainty.py") == []


def test_every_exemption_exists() -> None:
    for relative in (*EXEMPT, *(where for where, _, _ in NOT_A_MODEL)):
        assert (PACKAGE / relative).exists(), relative
    for where, snippet, _ in NOT_A_MODEL:
        assert snippet in (PACKAGE / where).read_text(encoding="utf-8"), (where, snippet)
