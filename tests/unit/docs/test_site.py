"""The documentation site builds without warnings, and no page points at something missing.

Covers:
- `mkdocs build --strict` (mkdocs.yml: links, anchors and pages not in the navigation are
  warnings, and warnings are errors) builds every page of docs/ into a site;
- every page of docs/ is in the navigation;
- README.md's relative links name files that exist and headings those files have;
- every `NAME.md` that README.md or a page mentions exists in the repository (no citation of a
  document the repository does not hold);
- every backticked path into one of the repository's own directories exists;
- every page with `console` examples is one a test runs.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[3]
DOCS = REPO / "docs"
PAGES = sorted(DOCS.glob("*.md"))
LINK = re.compile(r"\]\(([^)\s]+)\)")
MARKDOWN_NAME = re.compile(r"\b[\w-]+\.md\b")
BACKTICKED_PATH = re.compile(r"`((?:docs|src|tests|examples|benchmarks|\.ci)/[^`\s]*)`")


def slug(heading: str) -> str:
    """The anchor GitHub and MkDocs give a heading: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    return {slug(line.lstrip("#")) for line in page.read_text().splitlines() if line.startswith("#")}


def test_site_builds_strict(tmp_path: Path) -> None:
    site = tmp_path / "site"
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr, done.stderr
    for page in PAGES:
        built = site / "index.html" if page.stem == "index" else site / page.stem / "index.html"
        assert built.is_file(), page.name


def test_every_page_is_in_the_navigation() -> None:
    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=yaml.SafeLoader)
    listed = {next(iter(entry.values())) for entry in config["nav"]}
    assert listed == {page.name for page in PAGES}


def _links(text: str) -> list[str]:
    return [
        target for target in LINK.findall(text) if "://" not in target and not target.startswith("mailto:")
    ]


def test_readme_links_resolve() -> None:
    links = _links((REPO / "README.md").read_text())
    assert links
    for link in links:
        path, _, anchor = link.partition("#")
        target = REPO / path
        assert target.exists(), link
        if anchor:
            assert anchor in anchors(target), link


@pytest.mark.parametrize("page", [REPO / "README.md", *PAGES], ids=lambda p: p.name)
def test_mentioned_documents_and_paths_exist(page: Path) -> None:
    text = page.read_text()
    held = {p.name for p in REPO.rglob("*.md") if ".venv" not in p.parts}
    for name in MARKDOWN_NAME.findall(text):
        assert name in held, f"{page.name} mentions {name}, which the repository does not hold"
    for path in BACKTICKED_PATH.findall(text):
        top = Path(*Path(path).parts[:2])
        if (REPO / top).is_dir():  # otherwise a path in the reader's own project
            assert (REPO / path.rstrip("/")).exists(), f"{page.name}: `{path}`"


def test_every_page_with_console_examples_is_run_by_a_test() -> None:
    """`console` blocks are the examples a reader runs; each page holding them has a test."""
    run_by_tests = {
        "writing-an-operator.md": REPO / "tests" / "unit" / "docs" / "test_writing_an_operator.py",
        "running-a-real-operator.md": REPO / "tests" / "real" / "test_running_a_real_operator_doc.py",
    }
    with_examples = {page.name for page in PAGES if "```console" in page.read_text()}
    assert with_examples == set(run_by_tests)
    for test in run_by_tests.values():
        assert test.is_file()
