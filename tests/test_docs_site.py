"""The docs site and the lists the docs keep: what they say is what the code registers.

`make docs` builds the site strictly (mkdocs.yml); these tests check what the build cannot:
that every page is reachable from the navigation that docs/index.md's lists make, that the
lists of commands in the docs are the command line's, that every public name has a
reference entry, and that every list on every page renders as a list.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
import typer.main
import yaml

import statecraft
import statecraft.api
from statecraft.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

markdown = pytest.importorskip("markdown", reason="the docs site's tools are in the dev extra")
griffe = pytest.importorskip("griffe", reason="the docs site's tools are in the dev extra")


def _docs_module(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, DOCS / f"{name}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hooks = _docs_module("site_hooks")
site_griffe = _docs_module("site_griffe")


def _commands() -> dict[str, Any]:
    """The commands of `statecraft --help`, as the command-line parser has them."""
    group: Any = typer.main.get_command(app)
    ctx = group.make_context("statecraft", ["--help"], resilient_parsing=True)
    listed = {name: group.get_command(ctx, name) for name in group.list_commands(ctx)}
    return {name: cmd for name, cmd in listed.items() if not cmd.hidden}


def _runs_commands() -> set[str]:
    runs = _commands()["runs"]
    return {name for name, cmd in runs.commands.items() if not cmd.hidden}


# --- the navigation ---------------------------------------------------------------------


def _nav_pages(nav: list[Any]) -> list[str]:
    pages: list[str] = []
    for entry in nav:
        for value in entry.values():
            pages += _nav_pages(value) if isinstance(value, list) else [value]
    return pages


def test_every_page_is_listed_in_the_index_and_so_on_the_site() -> None:
    nav = hooks.nav_from_index((DOCS / "index.md").read_text(encoding="utf-8"))
    listed = _nav_pages(nav)
    assert len(listed) == len(set(listed))
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    missing = sorted(pages - set(listed))
    assert not missing, (
        f"{missing}: no list in docs/index.md links these pages, so the site's navigation "
        "leaves them out; link each from the list of the section where it belongs"
    )
    assert set(listed) <= pages, sorted(set(listed) - pages)


def test_the_navigation_has_the_index_sections_in_order() -> None:
    nav = hooks.nav_from_index((DOCS / "index.md").read_text(encoding="utf-8"))
    sections = [next(iter(entry)) for entry in nav]
    assert sections[:3] == ["Home", "How-to", "Models"]
    assert "API reference" in sections
    models = next(entry["Models"] for entry in nav if "Models" in entry)
    assert [next(iter(e.values())) for e in models] == [
        f"models/{name}.md" for name in statecraft.available_models()
    ]


def test_the_hooks_file_is_the_one_mkdocs_loads() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["hooks"] == ["docs/site_hooks.py"]
    assert "nav" not in config, "the navigation is read from docs/index.md, not kept here"
    assert config["validation"]["omitted_files"] == "warn"
    python = config["plugins"][1]["mkdocstrings"]["handlers"]["python"]
    assert python["options"]["extensions"] == ["docs/site_griffe.py:CommentDocstrings"]


# --- the lists of commands --------------------------------------------------------------


def test_cli_page_documents_every_command_and_no_other() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    headed = set(re.findall(r"^## `statecraft ([a-z][a-z-]*)", text, flags=re.MULTILINE))
    tabled = set(re.findall(r"^\| `statecraft ([a-z][a-z-]*)", text, flags=re.MULTILINE))
    assert headed | tabled == set(_commands()), (
        "docs/cli.md's sections and its table of other commands must name every command "
        "of `statecraft --help`, and only those"
    )
    heading = re.search(r"^## `statecraft runs ([a-z|]+)`", text, flags=re.MULTILINE)
    assert heading is not None
    assert set(heading.group(1).split("|")) == _runs_commands()
    rows = set(re.findall(r"^\| `statecraft runs ([a-z]+)", text, flags=re.MULTILINE))
    assert rows == _runs_commands()


def test_index_lists_every_command() -> None:
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    item = re.search(r"^- \[The command line\]\(cli\.md\):(.*?)(?=^- |^$)", text, re.M | re.S)
    assert item is not None, "docs/index.md's item on the command line has changed"
    named = re.findall(r"`([a-z-]+)`", item.group(1))
    assert len(named) == len(set(named))
    assert set(named) == set(_commands())


def test_readme_lists_every_command() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^Commands: (.*?)`--version`", text, re.M | re.S)
    assert match is not None, "the README's list of commands has changed"
    named = re.findall(r"`([a-z]+)`", match.group(1))
    assert len(named) == len(set(named))
    assert set(named) == set(_commands())


def test_the_command_lists_would_catch_a_missing_command() -> None:
    """The check is not vacuous: the registered commands include the two the index once
    missed, and a list without one of them differs from the registry."""
    assert {"convert", "serve", "runs", "brief"} <= set(_commands())
    assert set(_commands()) - {"serve"} != set(_commands())


# --- the API reference ------------------------------------------------------------------


def _reference_targets(page: str) -> set[str]:
    text = (DOCS / "reference" / page).read_text(encoding="utf-8")
    return set(re.findall(r"^::: ([\w.]+)", text, flags=re.MULTILINE))


@pytest.mark.parametrize(
    ("module", "page"),
    [(statecraft, "statecraft.md"), (statecraft.api, "api.md")],
)
def test_every_public_name_has_a_reference_entry(module: Any, page: str) -> None:
    """What mkdocstrings renders: a name of ``__all__`` whose object has a docstring (read
    from the source, as the site reads it), or one the page names an object for."""
    loaded = griffe.load(
        "statecraft",
        search_paths=[str(ROOT / "src")],
        extensions=griffe.load_extensions(site_griffe.CommentDocstrings()),
    )
    namespace = loaded if module is statecraft else loaded[module.__name__.split(".", 1)[1]]
    targets = _reference_targets(page)
    assert module.__name__ in targets
    undocumented = []
    for name in module.__all__:
        if name.startswith("_"):
            continue
        member = namespace[name]
        target = member.final_target if member.is_alias else member
        # A wrapper without a docstring of its own is documented by naming on the page the
        # function it wraps, which has the same name (sc.simulate: ...uncertainty.simulate).
        named = {t.rsplit(".", 1)[-1] for t in targets}
        if not target.docstring and name not in named:
            undocumented.append(f"{module.__name__}.{name} ({target.path})")
    assert not undocumented, (
        f"{undocumented}: no docstring that the site can read; give it one, or name its "
        f"object on docs/reference/{page}"
    )


# --- lists render as lists --------------------------------------------------------------


def _site_markdown() -> Any:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names: list[Any] = []
    configs: dict[str, Any] = {}
    for entry in config["markdown_extensions"]:
        if isinstance(entry, dict):
            (name, options), *_ = entry.items()
            names.append(name)
            configs[name] = options or {}
        else:
            names.append(entry)
    names = [n for n in names if n != "pymdownx.arithmatex"]
    return markdown.Markdown(
        extensions=[*names, hooks.GfmLists()], extension_configs=configs, tab_length=4
    )


def _swallowed_items(html: str) -> list[str]:
    """Lines of a paragraph that open with a list marker: a list read as text."""
    html = re.sub(r"<pre.*?</pre>", "", html, flags=re.S)
    return [
        line
        for paragraph in re.findall(r"<p>(.*?)</p>", html, flags=re.S)
        for line in paragraph.split("\n")[1:]
        if re.match(r"\s*(?:[-*+]|\d+\.)\s", line)
    ]


def test_a_list_under_a_paragraph_renders_as_a_list() -> None:
    """The case the preprocessor is for, worked by hand: GitHub shows three items here, two
    of them nested, and so must the site."""
    html = _site_markdown().convert("Choose:\n- one\n  - one a\n  - one b\n- two\n")
    assert html == (
        "<p>Choose:</p>\n<ul>\n<li>one<ul>\n<li>one a</li>\n<li>one b</li>\n</ul>\n</li>\n"
        "<li>two</li>\n</ul>"
    )
    plain = markdown.markdown("Choose:\n- one\n- two\n")
    assert _swallowed_items(plain) == ["- one", "- two"]


@pytest.mark.parametrize(
    "page", sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")), ids=str
)
def test_every_list_on_the_page_renders_as_a_list(page: str) -> None:
    html = _site_markdown().convert((DOCS / page).read_text(encoding="utf-8"))
    assert not _swallowed_items(html), f"{page}: these lines render as text, not list items"
