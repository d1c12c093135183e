"""Pinned operator documents: the outputs (and inputs) an operator declared when registered.

The manager never trusts what an operator says about its outputs at run time: the first time
it sees an operator it records the declared documents and their digest in a pin file beside
the journal; later runs are validated against the pin. If the operator later declares
something else, the pin is kept and the change reported, until the operator is registered
again on purpose (``mom run --repin``).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mom.api.input_resources import InputResources
from mom.api.output_resources import OutputResources
from mom.serialization import dump_json, load_json


@dataclass(frozen=True)
class Pin:
    operator: str
    inputs: InputResources
    outputs: OutputResources
    digest: str


def document_digest(inputs: InputResources, outputs: OutputResources) -> str:
    wire = {"inputs": inputs.to_wire(), "outputs": outputs.to_wire()}
    return hashlib.sha256(dump_json(wire, sort_keys=True)).hexdigest()


class PinStore:
    """A JSON file of pins, rewritten atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._wire: dict[str, Any] = {}
        if path.is_file():
            loaded = load_json(path.read_bytes(), str(path))
            self._wire = loaded if isinstance(loaded, dict) else {}

    def get(self, operator: str) -> Pin | None:
        entry = self._wire.get(operator)
        if not isinstance(entry, dict):
            return None
        source = f"{self.path}:{operator}"
        return Pin(
            operator,
            InputResources.from_wire(entry.get("inputs"), source),
            OutputResources.from_wire(entry.get("outputs"), source),
            str(entry.get("digest", "")),
        )

    def pin(self, operator: str, inputs: InputResources, outputs: OutputResources) -> Pin:
        digest = document_digest(inputs, outputs)
        self._wire[operator] = {"inputs": inputs.to_wire(), "outputs": outputs.to_wire(), "digest": digest}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.tmp")
        temporary.write_bytes(dump_json(self._wire, indent=True, sort_keys=True))
        os.replace(temporary, self.path)
        return Pin(operator, inputs, outputs, digest)
