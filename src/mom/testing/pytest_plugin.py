"""pytest plugin: every golden test directory becomes a pytest item.

Configure the test roots with ``--mom-test-dir DIR`` (repeatable; relative to the invocation
directory) or the ini option ``mom_test_dirs`` (paths relative to the ini file). Each
``test.yaml`` below a root (outside any test's ``input-dir/`` or ``expected-output/``) yields
one item named by its directory relative to the root, e.g. ``sample-operator/test-basic-call``;
``test.yaml`` files anywhere else are ignored. Roots given on the command line are always
collected (alone, when no other path is named); ini roots are collected alongside the default
test paths, but not when the run names explicit paths.

The items run through :func:`mom.testing.harness.run_case`, so pass/fail rules, the failure
report and ``--mom-replace-expected-output`` (rewrite expected outputs) behave exactly as in
``mom test apply-configuration``. ``--mom-binary`` overrides every test's ``binaryName``;
``--mom-output-dir`` chooses where actual outputs go (default: a fresh temporary directory).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mom.api.errors import MomError
from mom.testing.cases import EXPECTED_OUTPUT_DIR, INPUT_DIR, TEST_FILE, Case, load_case
from mom.testing.harness import PreservePolicy, SuiteOptions, run_case
from mom.testing.report import CaseResult

_ROOTS = pytest.StashKey[list[Path]]()
_OUTPUT_DIR = pytest.StashKey[Path]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mom", "mom golden test directories")
    group.addoption(
        "--mom-test-dir",
        action="append",
        default=[],
        dest="mom_test_dirs",
        metavar="DIR",
        help="directory whose test.yaml test directories become test items (repeatable)",
    )
    group.addoption(
        "--mom-replace-expected-output",
        action="store_true",
        default=False,
        help="rewrite each collected test's expected-output/ from its actual output",
    )
    group.addoption("--mom-binary", default=None, metavar="PATH", help="operator executable for every test")
    group.addoption("--mom-output-dir", default=None, metavar="DIR", help="where actual outputs are written")
    parser.addini(
        "mom_test_dirs", type="paths", default=[], help="golden test roots (relative to the ini file)"
    )


def pytest_configure(config: pytest.Config) -> None:
    invocation_dir = config.invocation_params.dir
    cli_roots = [(invocation_dir / d).resolve() for d in config.getoption("mom_test_dirs")]
    ini_roots = [Path(p).resolve() for p in config.getini("mom_test_dirs")]
    config.stash[_ROOTS] = list(dict.fromkeys(cli_roots + ini_roots))
    if config.args_source is pytest.Config.ArgsSource.ARGS:
        wanted = cli_roots
    elif cli_roots:
        config.args[:] = []  # `pytest --mom-test-dir X` alone runs just those golden tests
        wanted = cli_roots
    else:
        wanted = ini_roots
    for root in wanted:
        if not _covered(root, config.args, invocation_dir):
            config.args.append(str(root))


def _covered(root: Path, args: list[str], invocation_dir: Path) -> bool:
    """Whether some collection argument already reaches ``root``."""
    for arg in args:
        path = (invocation_dir / arg.split("::", 1)[0]).resolve()
        if path == root or path in root.parents:
            return True
    return False


def _root_of(test_file: Path, roots: list[Path]) -> Path | None:
    """The deepest configured root holding ``test_file`` as a test (not inside a test's data)."""
    for root in sorted(roots, key=lambda r: len(r.parts), reverse=True):
        if root == test_file.parent or root in test_file.parents:
            inner = test_file.parent.relative_to(root).parts
            if any(part in (INPUT_DIR, EXPECTED_OUTPUT_DIR) for part in inner):
                return None
            return root
    return None


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name != TEST_FILE:
        return None
    root = _root_of(file_path.resolve(), parent.config.stash.get(_ROOTS, []))
    if root is None:
        return None
    collector: MomTestFile = MomTestFile.from_parent(parent, path=file_path)
    collector.test_root = root
    return collector


class MomCaseFailed(Exception):
    """Raised by an item whose case did not pass; carries the harness result."""

    def __init__(self, result: CaseResult) -> None:
        super().__init__(result.message)
        self.result = result


class MomTestFile(pytest.File):
    """A ``test.yaml``: yields the one test its directory holds."""

    test_root: Path

    def collect(self) -> Iterator[MomCaseItem]:
        case = load_case(self.path.resolve().parent, self.test_root)
        yield MomCaseItem.from_parent(self, name=case.relative_name, case=case, test_root=self.test_root)

    def repr_failure(  # type: ignore[override]  # pytest's Collector drops the style argument
        self, excinfo: pytest.ExceptionInfo[BaseException]
    ) -> Any:
        if isinstance(excinfo.value, MomError):
            return f"invalid test directory: {excinfo.value}"
        return super().repr_failure(excinfo)


class MomCaseItem(pytest.Item):
    """One golden test directory, run through the harness."""

    def __init__(self, *, case: Case, test_root: Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case
        self.test_root = test_root

    def runtest(self) -> None:
        config = self.config
        options = SuiteOptions(
            test_dir=self.test_root,
            output_dir=_output_dir(config) / _root_label(self.test_root, config),
            working_dir=config.invocation_params.dir,
            binary=config.getoption("mom_binary"),
            replace_expected_output=bool(config.getoption("mom_replace_expected_output")),
            preserve_policy=PreservePolicy.KEEP_ON_FAILURE,
        )
        result = run_case(self.case, options)
        self.user_properties.append(("mom_test_name", self.case.description.test_name))
        if not result.passed:
            raise MomCaseFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, MomCaseFailed):
            return excinfo.value.result.failure_report()
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"mom test {self.case.relative_name} ({self.case.description.test_name})"


def _output_dir(config: pytest.Config) -> Path:
    if _OUTPUT_DIR not in config.stash:
        chosen = config.getoption("mom_output_dir")
        if chosen is not None:
            config.stash[_OUTPUT_DIR] = (config.invocation_params.dir / chosen).resolve()
        else:
            config.stash[_OUTPUT_DIR] = Path(tempfile.mkdtemp(prefix="mom-test-"))
    return config.stash[_OUTPUT_DIR]


def _root_label(root: Path, config: pytest.Config) -> str:
    """A per-root sub-directory of the output dir, so two roots never share outputs."""
    roots = config.stash.get(_ROOTS, [])
    return f"{roots.index(root)}-{root.name}" if root in roots else root.name
