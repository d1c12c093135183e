"""An apply-configuration output directory, read back as untrusted data (FORMATS.md §3.5).

The directory holds ``controller-results.yaml`` and one mutation directory per cluster type
(``Unspecified/`` for mutations no declared output allows). Whoever runs an operator — the
manager, the golden-test harness — reads its output here, under one :class:`ReadBudget`: regular
files only, no links followed, sizes and counts capped before anything is read, and every
structure type-checked.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mom.api.cluster import CLUSTER_TYPES, UNSPECIFIED_DIR
from mom.api.results import ControllerResults
from mom.manifest.mutationdir import read_mutation_dir
from mom.manifest.requests import MutationRequest
from mom.manifest.untrusted import ReadBudget, ReadLimits, open_directory, read_regular_file
from mom.serialization import load_document

CONTROLLER_RESULTS_FILE = "controller-results.yaml"
MUTATION_DIRS = (*(str(cluster_type) for cluster_type in CLUSTER_TYPES), UNSPECIFIED_DIR)
"""The mutation directories an output may hold, in the order they are read."""


@dataclass(frozen=True)
class OperatorOutput:
    """What an operator left in its output directory, checked but not yet validated."""

    results: ControllerResults | None
    requests: tuple[MutationRequest, ...]
    """Every distinct mutation, however the operator routed it."""


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


def read_operator_output(output_dir: Path, limits: ReadLimits | None = None) -> OperatorOutput:
    """Results and every distinct mutation of an apply-configuration output directory.

    Raises :class:`mom.api.errors.InvalidInput` naming the first file refused and why.
    """
    budget = ReadBudget(limits)
    document = read_results_document(output_dir, budget)
    results = ControllerResults.from_wire(document, str(output_dir / CONTROLLER_RESULTS_FILE))
    seen: dict[tuple[object, ...], MutationRequest] = {}
    for directory in MUTATION_DIRS:
        for request in read_mutation_dir(output_dir / directory, budget):
            seen.setdefault(request.equality_key(), request)
    return OperatorOutput(results, tuple(seen.values()))
