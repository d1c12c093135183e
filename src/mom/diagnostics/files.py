"""Reading the JSON files a must-gather keeps beside its resources, as hostile input.

Owns :func:`read_json`, and :func:`mapping` / :func:`mappings` for walking what it returns: a file under the resource root (no link out of it), at most
:data:`MAX_BYTES`, decoded as JSON; :class:`~mom.api.errors.InvalidInput` naming the file
otherwise, ``None`` when the must-gather simply does not have it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput
from mom.serialization import load_json

MAX_BYTES = 64 * 1024 * 1024


def read_json(root: Path, relative: str) -> Any | None:
    """The JSON document at ``root/relative``; ``None`` when absent."""
    path = root / relative
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not real.is_relative_to(root.resolve()) or not real.is_file():
        raise InvalidInput(relative, ["not a regular file inside the must-gather"])
    try:
        fd = os.open(real, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as stream:
            data = stream.read(MAX_BYTES + 1)
    except OSError as exc:
        raise InvalidInput(relative, [f"cannot be read: {exc.strerror}"]) from exc
    if len(data) > MAX_BYTES:
        raise InvalidInput(relative, [f"larger than {MAX_BYTES} bytes"])
    return load_json(data, relative)


def mapping(value: Any) -> dict[str, Any]:
    """``value`` when it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def mappings(value: Any) -> list[dict[str, Any]]:
    """The mappings of a list; nothing for anything else."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []
