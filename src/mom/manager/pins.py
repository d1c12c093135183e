"""Pinned operator documents: the outputs (and inputs) an operator declared when registered.

The manager never trusts what an operator says about its outputs at run time: the first time
it sees an operator it records the declared documents and their digest in a pin file beside
the journal; later runs are validated against the pin. If the operator later declares
something else, the pin is kept and the change reported, until the operator is registered
again on purpose (``mom run --repin``).

A pin file that is not one — not a JSON object, an entry that is not a pin, or a pin whose
documents no longer match its digest — is an error, never a reason to pin again: pinning
again would trust whatever the operator declares now.

Asking an executable operator what it declares starts it twice, so each entry also records
when its declarations were last found unchanged and the identity of what was asked (the
executable file and its arguments). A start that finds the same identity, confirmed within the
operator's resync period, takes the pin without asking again; a changed file, another command
line or an older confirmation asks again.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from mom.api.digest import sha256_hex
from mom.api.errors import InvalidInput
from mom.api.input_resources import InputResources
from mom.api.output_resources import OutputResources
from mom.api.timestamps import rfc3339
from mom.api.values import Frozen
from mom.mustgather.atomicfile import write_atomically
from mom.serialization import dump_json, load_json

_RESTORE = "restore the file, or remove it and register every operator again with --repin"


class Pin(Frozen):
    operator: str
    inputs: InputResources
    outputs: OutputResources
    digest: str

    __slots__ = ("digest", "inputs", "operator", "outputs")

    def __init__(self, operator: str, inputs: InputResources, outputs: OutputResources, digest: str) -> None:
        object.__setattr__(self, "operator", operator)
        object.__setattr__(self, "inputs", inputs)
        object.__setattr__(self, "outputs", outputs)
        object.__setattr__(self, "digest", digest)


def document_digest(inputs: InputResources, outputs: OutputResources) -> str:
    wire = {"inputs": inputs.to_wire(), "outputs": outputs.to_wire()}
    return sha256_hex(dump_json(wire, sort_keys=True))


class PinStore:
    """A JSON file of pins, rewritten atomically."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._wire: dict[str, Any] = {}
        if path.exists():
            loaded = load_json(path.read_bytes(), str(path))
            if not isinstance(loaded, dict):
                raise InvalidInput(str(path), [f"not a file of pins (a JSON object by operator); {_RESTORE}"])
            self._wire = loaded

    def get(self, operator: str) -> Pin | None:
        """The pin of ``operator``; ``None`` when it was never registered."""
        if operator not in self._wire:
            return None
        entry = self._wire[operator]
        source = f"{self.path}:{operator}"
        if not isinstance(entry, dict):
            raise InvalidInput(source, [f"not a pin; {_RESTORE}"])
        pin = Pin(
            operator,
            InputResources.from_wire(entry.get("inputs"), source),
            OutputResources.from_wire(entry.get("outputs"), source),
            str(entry.get("digest", "")),
        )
        if document_digest(pin.inputs, pin.outputs) != pin.digest:
            raise InvalidInput(source, [f"the pinned documents do not match their digest; {_RESTORE}"])
        return pin

    def pin(self, operator: str, inputs: InputResources, outputs: OutputResources) -> Pin:
        """Register what ``operator`` declares now, replacing its pin, and return the new pin."""
        pin = unrecorded_pin(operator, inputs, outputs)
        self._wire[operator] = {
            "inputs": inputs.to_wire(),
            "outputs": outputs.to_wire(),
            "digest": pin.digest,
        }
        self.save()
        return pin

    def confirmed_within(self, operator: str, identity: str | None, now: datetime, period: float) -> bool:
        """Whether ``operator``'s declarations were found unchanged, asked of ``identity``, less
        than ``period`` seconds before ``now``. Anything unreadable, or no identity, counts as
        never confirmed."""
        entry = self._wire.get(operator)
        if identity is None:
            return False
        confirmed = entry.get("confirmed") if isinstance(entry, dict) else None
        if not isinstance(confirmed, dict) or confirmed.get("identity") != identity:
            return False
        try:
            at = datetime.fromisoformat(str(confirmed.get("at")))
        except ValueError:
            return False
        return at.tzinfo is not None and timedelta(0) <= now - at < timedelta(seconds=period)

    def confirm(self, operator: str, identity: str, now: datetime) -> None:
        """Record that ``operator``, asked as ``identity``, still declares its pin (kept until
        :meth:`save`)."""
        self._wire[operator]["confirmed"] = {"identity": identity, "at": rfc3339(now)}

    def save(self) -> None:
        """Rewrite the pin file atomically."""
        content = dump_json(self._wire, indent=True, sort_keys=True)
        write_atomically(self.path, content, sync=False, make_parents=True)


def unrecorded_pin(operator: str, inputs: InputResources, outputs: OutputResources) -> Pin:
    """The pin ``operator`` would get for these documents, without registering it anywhere."""
    return Pin(operator, inputs, outputs, document_digest(inputs, outputs))
