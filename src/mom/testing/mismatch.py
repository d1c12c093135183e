"""One line that says what an expected-output mismatch amounts to.

A failing golden case can print pages of diff. Above it, :func:`summarize_mismatch` says in
one line what a person needs to decide: which requests differ and, when a request merely
changed, the only fields that changed. A field whose expected and actual values are both PEM
blocks of one type (raw or base64-encoded, as Kubernetes stores them in ``data`` and
``spec.request``) is named as such: a key, certificate or certificate request an operator
generates anew on every run can never equal a recording, whatever the operator does.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from mom.mutationdir.equivalence import Difference, FieldDifference

SHOWN_DIFFERENCES = 3
"""How many differences the line names before it only counts the rest."""

_PEM_BEGIN = re.compile(r"-----BEGIN ([A-Z0-9 ]+)-----")
_CHANGE_KINDS = frozenset({"body", "options"})


def summarize_mismatch(differences: Sequence[Difference]) -> str:
    """``expected output mismatch: ...`` in one line; ``""`` when there is no difference."""
    if not differences:
        return ""
    count = len(differences)
    noun = "difference" if count == 1 else "differences"
    if all(d.kind in _CHANGE_KINDS and d.fields for d in differences):
        described = [_describe_change(d) for d in differences[:SHOWN_DIFFERENCES]]
        if count > SHOWN_DIFFERENCES:
            described.append(f"and {count - SHOWN_DIFFERENCES} more")
        if count == 1:
            return f"expected output mismatch: {described[0]}"
        return f"expected output mismatch: {count} changed requests: " + "; ".join(described)
    kinds = Counter(d.kind for d in differences)
    breakdown = ", ".join(f"{number} {kind}" for kind, number in sorted(kinds.items()))
    return f"expected output mismatch: {count} {noun} ({breakdown})"


def _describe_change(difference: Difference) -> str:
    where = f"[{difference.cluster_type}] " if difference.cluster_type else ""
    paths = ", ".join(field.path for field in difference.fields)
    text = f"{where}{difference.subject} differs only in {difference.kind} field"
    text += f"{'s' if len(difference.fields) != 1 else ''} {paths}"
    generated = {_generated_material(field) for field in difference.fields}
    if len(generated) == 1 and None not in generated:
        (block,) = generated
        text += (
            f" (a PEM {block} on both sides: material generated anew on each run never matches a recording)"
        )
    return text


def _generated_material(field: FieldDifference) -> str | None:
    """The PEM block type both values hold (``CERTIFICATE REQUEST``), else ``None``."""
    expected = pem_block_type(field.expected)
    return expected if expected is not None and expected == pem_block_type(field.actual) else None


def pem_block_type(value: Any) -> str | None:
    """The type of the first PEM block in ``value``, itself or base64-decoded; else ``None``."""
    if not isinstance(value, str):
        return None
    match = _PEM_BEGIN.search(value)
    if match is None:
        try:
            decoded = base64.b64decode(value, validate=True).decode("ascii")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            return None
        match = _PEM_BEGIN.search(decoded)
    return match.group(1) if match is not None else None
