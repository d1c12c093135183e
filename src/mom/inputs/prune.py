"""Pruning a must-gather down to one operator's declared inputs (``create-input-resources``).

Owns: :func:`prune_must_gather` and :func:`load_input_resources` (reading a declaration file).
"""

from __future__ import annotations

from pathlib import Path

from mom.api.errors import InvalidInput
from mom.api.input_resources import InputResources
from mom.inputs.gather import GatheredInputs, gather_inputs
from mom.inputs.tree import TreeSource
from mom.inputs.writer import write_input_dir
from mom.mustgather.loader import bulk_allocation
from mom.serialization import load_document


def load_input_resources(path: Path) -> InputResources:
    """Read and validate an input-resources file (YAML or JSON)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(str(path), [f"cannot read: {exc.strerror}"]) from exc
    return InputResources.from_wire(load_document(data, str(path)), str(path))


def prune_must_gather(must_gather_dir: Path, spec: InputResources, output_dir: Path) -> GatheredInputs:
    """Gather ``spec`` from the must-gather at ``must_gather_dir`` and write it to ``output_dir``.

    Only the files the declaration points at are decoded, with the cyclic GC held off meanwhile
    (:func:`~mom.mustgather.loader.bulk_allocation`). Returns what was gathered, with the
    declared objects that were not found in ``missing``.
    """
    with bulk_allocation():
        gathered = gather_inputs(TreeSource(must_gather_dir), spec)
        write_input_dir(gathered, output_dir)
    return gathered
