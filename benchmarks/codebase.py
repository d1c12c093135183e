"""Figures of the source tree's shape: modules and lines per package, the largest pieces, repeats.

``python -m benchmarks codebase [SRC]`` (default ``src/mom``) prints, per package, its modules and
lines; the largest class and function; how many modules spell an operator's output directory's
results file name in code (not in a docstring); how many modules define their own ``Object``, ``Key`` or ``Outcome``; and, where the
``duplicates`` tool is on PATH, how many pairs of places share six or more lines.
"""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

_REDEFINED = ("Object", "Key", "Outcome")


def _span(node: ast.AST) -> int:
    return (getattr(node, "end_lineno", 0) or 0) - getattr(node, "lineno", 0) + 1


def _definitions(tree: ast.Module) -> set[str]:
    """Top-level names among ``_REDEFINED`` that this module defines (alias or class)."""
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name in _REDEFINED:
            found.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            found.update(t.id for t in targets if isinstance(t, ast.Name) and t.id in _REDEFINED)
    return found


def _names_output_file(tree: ast.Module) -> bool:
    """Whether code (not a docstring) spells an output directory's results file name."""
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return any(
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and "controller-results.yaml" in node.value
        and id(node) not in docstrings
        for node in ast.walk(tree)
    )


def figures(src: Path) -> dict[str, object]:
    per_package: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    largest_class = ("", 0)
    largest_function = ("", 0)
    output_dir_modules: list[str] = []
    redefinitions: dict[str, list[str]] = {name: [] for name in _REDEFINED}
    for path in sorted(src.rglob("*.py")):
        relative = path.relative_to(src)
        text = path.read_text(encoding="utf-8")
        package = relative.parts[0] if len(relative.parts) > 1 else "(top)"
        per_package[package][0] += 1
        per_package[package][1] += text.count("\n")
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and _span(node) > largest_class[1]:
                largest_class = (f"{relative}:{node.name}", _span(node))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _span(node) > largest_function[1]:
                largest_function = (f"{relative}:{node.name}", _span(node))
        if _names_output_file(tree):
            output_dir_modules.append(str(relative))
        for name in _definitions(tree):
            redefinitions[name].append(str(relative))
    return {
        "packages": dict(sorted(per_package.items())),
        "largest_class": largest_class,
        "largest_function": largest_function,
        "output_dir_modules": output_dir_modules,
        "redefinitions": redefinitions,
    }


def _duplicate_pairs(src: Path) -> int | None:
    tool = shutil.which("duplicates")
    if tool is None:
        return None
    listing = subprocess.run(
        [tool, "--repo", str(src), "--most", "200", "--seconds", "120"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return sum(1 for line in listing.splitlines() if re.match(r"D\d+ ", line))


def main(argv: list[str]) -> None:
    src = Path(argv[0]) if argv else Path("src/mom")
    found = figures(src)
    packages: dict[str, list[int]] = found["packages"]  # type: ignore[assignment]
    print(f"{'package':<16}{'modules':>8}{'lines':>8}")
    for package, (modules, lines) in packages.items():
        print(f"{package:<16}{modules:>8}{lines:>8}")
    total_modules = sum(m for m, _ in packages.values())
    total_lines = sum(n for _, n in packages.values())
    print(f"{'total':<16}{total_modules:>8}{total_lines:>8}")
    print(f"largest class: {found['largest_class'][0]} ({found['largest_class'][1]} lines)")  # type: ignore[index]
    print(f"largest function: {found['largest_function'][0]} ({found['largest_function'][1]} lines)")  # type: ignore[index]
    output_dir: list[str] = found["output_dir_modules"]  # type: ignore[assignment]
    print(f"modules spelling controller-results.yaml in code: {len(output_dir)} ({', '.join(output_dir)})")
    for name, modules in found["redefinitions"].items():  # type: ignore[attr-defined]
        print(f"modules defining {name}: {len(modules)}")
    pairs = _duplicate_pairs(src)
    print("duplicate pairs: " + ("duplicates tool not on PATH" if pairs is None else str(pairs)))


if __name__ == "__main__":
    main(sys.argv[1:])
