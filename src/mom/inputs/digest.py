"""A digest of gathered inputs: equal exactly when an operator would see the same inputs.

Owns: :func:`input_digest` and :func:`directory_digest`.

The digest is SHA-256 over a canonical encoding: objects ordered by group, resource,
namespace and name, each as JSON with sorted keys. It does not depend on gathering order, file
order or YAML formatting. Nothing is dropped: ``resourceVersion``, ``managedFields`` and status
are inputs like any other field (an operator may read them), so any change to them changes the
digest. The ``missing`` report is not part of it: an object appearing changes ``objects``.
"""

from __future__ import annotations

from pathlib import Path

from mom.api.digest import sha256
from mom.api.resources import ObjectRef
from mom.inputs.gather import GatheredInputs, identity_of
from mom.mustgather.store import Snapshot
from mom.serialization import dump_json

_VERSION = b"mom-input-digest-v1\n"


def input_digest(gathered: GatheredInputs) -> str:
    """Hex SHA-256 of the gathered objects, independent of their order."""
    hasher = sha256(_VERSION)
    for ref, obj in sorted(gathered.objects, key=lambda pair: _sort_key(pair[0])):
        hasher.update(dump_json([ref.gvr.group, ref.gvr.resource, ref.namespace, ref.name]))
        hasher.update(b"\n")
        hasher.update(dump_json(obj, sort_keys=True))
        hasher.update(b"\n")
    return hasher.hexdigest()


def snapshot_digest(snapshot: Snapshot) -> str:
    """The digest of every object of a snapshot (an input directory read back)."""
    return input_digest(GatheredInputs(tuple(snapshot.objects())))


def directory_digest(input_dir: Path) -> str:
    """The digest of the input directory at ``input_dir``."""
    from mom.mustgather.loader import load_must_gather

    return snapshot_digest(load_must_gather(input_dir))


def _sort_key(ref: ObjectRef) -> tuple[str, str, str, str]:
    return identity_of(ref)
