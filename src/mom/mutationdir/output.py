"""An apply-configuration output directory: its entries, writing it, and reading it back.

The one home of this layout (FORMATS.md §3.5), as library-go's ``directory_apply_configuration``
is in Go: ``controller-results.yaml`` (:data:`CONTROLLER_RESULTS_FILE`) and one mutation
directory per cluster type, plus ``Unspecified/`` for mutations no declared output allows
(:data:`MUTATION_DIRS`). Every package that writes an output (an operator's run, a journaled
run recreated, a replay) or reads one (the manager, the golden-test harness, ``mom mutations``)
goes through here.

Reading treats the directory as untrusted, under one :class:`ReadBudget`: regular files only,
no links followed, sizes and counts capped before anything is read, every structure
type-checked. Writing replaces each file atomically (:mod:`mom.mustgather.atomicfile`). Imports
only what an operator's run already needs.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from mom.api.cluster import CLUSTER_TYPES, UNSPECIFIED_DIR
from mom.api.results import ControllerResults
from mom.api.values import Frozen
from mom.mustgather.atomicfile import write_atomically
from mom.mustgather.untrusted import ReadBudget, ReadLimits, open_directory, read_regular_file
from mom.mutationdir.directory import read_mutation_dir, write_mutation_dir
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_go_yaml, load_document

CONTROLLER_RESULTS_FILE = "controller-results.yaml"
"""The file holding every controller's result of the run."""
NULL_RESULTS = "null\n"
"""What the results file holds when an operator reported no results (as the Go code writes it)."""
CLUSTER_TYPE_DIRS = tuple(str(cluster_type) for cluster_type in CLUSTER_TYPES)
"""The mutation directories of routed mutations, one per cluster type."""
MUTATION_DIRS = (*CLUSTER_TYPE_DIRS, UNSPECIFIED_DIR)
"""The mutation directories an output may hold, in the order they are read."""
ROUTED_ENTRIES = (CONTROLLER_RESULTS_FILE, *CLUSTER_TYPE_DIRS)
"""An output but ``Unspecified/``: what library-go reads back, and an expected output holds."""
OUTPUT_ENTRIES = frozenset((*ROUTED_ENTRIES, UNSPECIFIED_DIR))
"""Every top-level name an output directory is made of."""


class OperatorOutput(Frozen):
    """What an operator left in its output directory, checked but not yet validated."""

    results: ControllerResults | None
    requests: tuple[MutationRequest, ...]
    """Every distinct mutation, however the operator routed it."""

    __slots__ = ("requests", "results")

    def __init__(self, results: ControllerResults | None, requests: tuple[MutationRequest, ...]) -> None:
        object.__setattr__(self, "results", results)
        object.__setattr__(self, "requests", requests)


def describe_entries() -> str:
    """The entries of an output, as an error message lists them."""
    return ", ".join([*(f"{name}/" for name in CLUSTER_TYPE_DIRS), CONTROLLER_RESULTS_FILE])


def is_output_dir(names: Iterable[str]) -> bool:
    """Whether a directory holding ``names`` at its top is an apply-configuration output."""
    return not OUTPUT_ENTRIES.isdisjoint(names)


def write_results(output_dir: Path, results: ControllerResults | None) -> None:
    """Replace the results file of ``output_dir`` (:data:`NULL_RESULTS` for ``None``)."""
    text = NULL_RESULTS if results is None else dump_go_yaml(results.to_wire())
    write_atomically(output_dir / CONTROLLER_RESULTS_FILE, text.encode("utf-8"), sync=False)


def write_operator_output(
    output_dir: Path,
    mutations: Mapping[str, Iterable[MutationRequest]],
    results: ControllerResults | None,
    *,
    with_results: bool = True,
) -> None:
    """Write an output: ``mutations`` by directory name (one of :data:`MUTATION_DIRS`), in the
    mapping's order, then the results file — unless ``with_results`` is false."""
    output_dir.mkdir(parents=True, exist_ok=True)
    for directory, requests in mutations.items():
        if directory not in MUTATION_DIRS:
            raise ValueError(f"{directory!r} is not a mutation directory of an output")
        write_mutation_dir(output_dir / directory, requests)
    if with_results:
        write_results(output_dir, results)


def read_results_document(output_dir: Path, budget: ReadBudget | None = None) -> Any:
    """The decoded ``controller-results.yaml`` (``None`` when absent), read as untrusted."""
    budget = budget or ReadBudget()
    dir_fd = open_directory(output_dir, str(output_dir))
    if dir_fd is None:
        return None
    try:
        source = str(output_dir / CONTROLLER_RESULTS_FILE)
        try:
            os.stat(CONTROLLER_RESULTS_FILE, dir_fd=dir_fd, follow_symlinks=False)
        except FileNotFoundError:
            return None
        return load_document(read_regular_file(CONTROLLER_RESULTS_FILE, dir_fd, source, budget), source)
    finally:
        os.close(dir_fd)


def read_mutation_dirs(
    output_dir: Path, directories: Iterable[str] = MUTATION_DIRS, budget: ReadBudget | None = None
) -> dict[str, list[MutationRequest]]:
    """The requests of each named mutation directory of the output (none for a missing one),
    read as untrusted within one ``budget``."""
    budget = budget or ReadBudget()
    return {directory: read_mutation_dir(output_dir / directory, budget) for directory in directories}


def unexpected_entries(output_dir: Path, allowed: Iterable[str] = ()) -> list[str]:
    """Top-level names in ``output_dir`` that are no part of an output nor ``allowed``, sorted
    (none when the directory does not exist)."""
    if not output_dir.is_dir():
        return []
    known = OUTPUT_ENTRIES.union(allowed)
    return sorted(entry.name for entry in output_dir.iterdir() if entry.name not in known)


def read_operator_output(output_dir: Path, limits: ReadLimits | None = None) -> OperatorOutput:
    """Results and every distinct mutation of an apply-configuration output directory.

    Raises :class:`mom.api.errors.InvalidInput` naming the first file refused and why.
    """
    budget = ReadBudget(limits)
    document = read_results_document(output_dir, budget)
    results = ControllerResults.from_wire(document, str(output_dir / CONTROLLER_RESULTS_FILE))
    seen: dict[tuple[object, ...], MutationRequest] = {}
    for requests in read_mutation_dirs(output_dir, MUTATION_DIRS, budget).values():
        for request in requests:
            seen.setdefault(request.equality_key(), request)
    return OperatorOutput(results, tuple(seen.values()))
