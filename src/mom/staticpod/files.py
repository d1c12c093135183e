"""A revision's content as files: what a node copies into ``<name>-pod-<revision>/``.

Built from the revision's ConfigMaps and Secrets (``<input>-<revision>``) as read from a
cluster, so every key is checked before it becomes a file name: only what Kubernetes itself
allows in a ConfigMap or Secret key (``[-._a-zA-Z0-9]+``, not ``.`` or ``..``).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from mom.api.errors import InvalidInput
from mom.api.wire_reader import quote
from mom.staticpod.operand import CONFIGMAPS, POD_KEY, StaticPodOperand

_KEY = re.compile(r"^[-._a-zA-Z0-9]+$")
CONFIGMAPS_DIR = "configmaps"
SECRETS_DIR = "secrets"


@dataclass(frozen=True)
class RevisionFiles:
    """``files`` maps a path relative to the revision directory to its bytes."""

    revision: int
    files: Mapping[str, bytes]


def pod_file(operand: StaticPodOperand) -> str:
    """Where the pod template sits inside a revision directory."""
    return f"{CONFIGMAPS_DIR}/{operand.pod_config_map}/{POD_KEY}"


def revision_files(
    operand: StaticPodOperand, revision: int, objects: Mapping[str, Mapping[str, Any]]
) -> RevisionFiles:
    """The files of ``revision`` from its objects, keyed by input name (``config``, not ``config-3``)."""
    files: dict[str, bytes] = {}
    problems: list[str] = []
    for gvr, name in operand.revisioned():
        obj = objects.get(name)
        where = f"{gvr.resource}/{name}-{revision}"
        if obj is None:
            problems.append(f"{where}: Not found")
            continue
        folder = CONFIGMAPS_DIR if gvr == CONFIGMAPS else SECRETS_DIR
        for key, content in _entries(obj, gvr == CONFIGMAPS, where, problems):
            files[f"{folder}/{name}/{key}"] = content
    if not problems and pod_file(operand) not in files:
        problems.append(f"configmaps/{operand.pod_config_map}-{revision}: data.{POD_KEY}: Required value")
    if problems:
        raise InvalidInput(f"revision {revision}", problems)
    return RevisionFiles(revision, files)


def _entries(obj: Mapping[str, Any], plain: bool, where: str, problems: list[str]) -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []
    fields = ("data", "binaryData") if plain else ("data", "stringData")
    for field in fields:
        section = obj.get(field) or {}
        if not isinstance(section, dict):
            problems.append(f"{where}: {field}: Invalid value: must be a map")
            continue
        for key, value in section.items():
            path = f"{where}: {field}[{key}]"
            if not isinstance(key, str) or not _KEY.match(key) or key in (".", ".."):
                problems.append(f"{path}: Invalid value: {quote(key)}: not a valid key")
            elif not isinstance(value, str):
                problems.append(f"{path}: Invalid value: must be a string")
            elif (plain and field == "data") or field == "stringData":
                found.append((key, value.encode()))
            else:
                try:
                    found.append((key, base64.b64decode(value, validate=True)))
                except binascii.Error:
                    problems.append(f"{path}: Invalid value: not base64")
    return found
