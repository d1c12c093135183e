"""Writing gathered inputs as a must-gather tree that :func:`mom.mustgather.loader.load_must_gather` reads.

Owns: the layout of an input directory and writing it safely.

* A Namespace object goes to ``namespaces/<ns>/<ns>.yaml`` (where readers look for it; the Go
  pruner puts it in ``cluster-scoped-resources/core/namespaces.yaml``, where no reader looks).
* Every other object goes into a List file ``{apiVersion, kind: <Kind>List, items}`` per
  group, resource and namespace: ``namespaces/<ns>/<group>/<resource>.yaml`` or
  ``cluster-scoped-resources/<group>/<resource>.yaml`` (``core`` for the core group).
  Items keep the order they were gathered in, which is the declaration's order, as the Go
  pruner writes them.
* Objects are written verbatim, as YAML the way Go writes it: the same declaration over the
  same must-gather gives the Go pruner's bytes.
* Two versions of one resource cannot share a List file: that is an error and nothing is written.
* The tree is built beside ``output_dir`` and renamed into place, so a crash never leaves a
  half-written file or a mix of old and new files. ``output_dir`` must be absent, empty, or a
  previous input directory (only ``namespaces/`` and ``cluster-scoped-resources/``): anything
  else is refused rather than replaced.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput, MomError
from mom.api.resources import CORE_GROUP_DIR, ObjectRef
from mom.inputs.gather import GatheredInputs
from mom.mustgather.reader import Object
from mom.serialization import dump_go_yaml, dump_json

_TREE_ENTRIES = frozenset({"namespaces", "cluster-scoped-resources"})


def input_files(gathered: GatheredInputs, *, as_json: bool = False) -> dict[str, bytes]:
    """The files of the input directory by relative path, in path order.

    ``as_json`` writes each document as JSON (sorted keys) instead of Go-style YAML: the same
    tree for every reader (must-gather files may hold JSON), many times faster to write.
    """
    encode = _json_bytes if as_json else _yaml_bytes
    groups: dict[str, list[tuple[ObjectRef, Object]]] = {}
    files: dict[str, bytes] = {}
    for ref, obj in gathered.objects:
        if ref.gvr.is_namespaces:
            files[f"namespaces/{ref.name}/{ref.name}.yaml"] = encode(obj)
            continue
        group_dir = ref.gvr.group or CORE_GROUP_DIR
        scope = f"namespaces/{ref.namespace}" if ref.namespace else "cluster-scoped-resources"
        groups.setdefault(f"{scope}/{group_dir}/{ref.gvr.resource}.yaml", []).append((ref, obj))
    problems: list[str] = []
    for path, members in groups.items():
        versions = sorted({str(obj.get("apiVersion", "")) for _, obj in members})
        kinds = sorted({str(obj.get("kind", "")) for _, obj in members})
        if len(versions) != 1 or len(kinds) != 1:
            problems.append(
                f"{path}: objects of one resource in several versions or kinds: {versions} {kinds}"
            )
            continue
        items = [obj for _, obj in members]
        document = {"apiVersion": versions[0], "kind": f"{kinds[0]}List", "items": items}
        files[path] = encode(document)
    if problems:
        raise InvalidInput("gathered inputs", problems)
    return dict(sorted(files.items()))


def _yaml_bytes(document: Any) -> bytes:
    return dump_go_yaml(document).encode()


def _json_bytes(document: Any) -> bytes:
    return dump_json(document, sort_keys=True)


def write_input_dir(gathered: GatheredInputs, output_dir: Path) -> None:
    """Write ``gathered`` as a must-gather tree at ``output_dir``, replacing a previous one whole."""
    files = input_files(gathered)
    _check_replaceable(output_dir)
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.", dir=output_dir.parent))
    try:
        for relative, data in files.items():
            target = staging / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        _swap_into_place(staging, output_dir)
    except OSError as exc:
        raise MomError(f"cannot write input directory {output_dir}: {exc}") from exc
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _check_replaceable(output_dir: Path) -> None:
    if not output_dir.exists():
        return
    if not output_dir.is_dir():
        raise InvalidInput(str(output_dir), ["not a directory"])
    unexpected = sorted(entry.name for entry in output_dir.iterdir() if entry.name not in _TREE_ENTRIES)
    if unexpected:
        raise InvalidInput(
            str(output_dir),
            [f"not empty and not an input directory (found {', '.join(unexpected[:5])}): not replacing it"],
        )


def _swap_into_place(staging: Path, output_dir: Path) -> None:
    if not output_dir.exists():
        os.rename(staging, output_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.old.", dir=output_dir.parent))
    os.rmdir(retired)
    os.rename(output_dir, retired)
    os.rename(staging, output_dir)
    shutil.rmtree(retired, ignore_errors=True)
