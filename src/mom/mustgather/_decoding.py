"""Decoding many resource files at once, on every CPU when the tree is big enough to pay off.

Private to :mod:`mom.mustgather.loader` (which re-exports :func:`decode_file` for other readers
of must-gather files). Owns: spreading YAML decoding over helper processes (YAML parsing is
CPU-bound and holds the GIL); a helper lives for one :func:`decode_files` call and nothing is
kept between calls. Each helper is ``python -m mom.mustgather._decoding``: it reads a JSON list of paths on
stdin and writes one JSON list of outcomes on stdout, which the parent decodes far faster than
YAML. The calling process decodes its own share meanwhile. Small trees, machines with one
CPU, or a helper that fails fall back to decoding in-process.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mom.api.errors import InvalidInput
from mom.serialization import MAX_DOCUMENT_BYTES, dump_json, load_document, load_json, looks_like_json

if TYPE_CHECKING:
    import logging
    import subprocess


def _log() -> logging.Logger:
    """This module's logger; :mod:`logging` is loaded only by a message (most loads log none)."""
    import logging

    return logging.getLogger(__name__)


PARALLEL_MIN_BYTES = 8 * 1024 * 1024
"""Below this many bytes of files, starting helper processes costs more than it saves."""

SNIFF_MIN_BYTES = 64 * 1024
"""Files this big are checked for JSON, which decodes some 25 times faster than YAML: a tree of
JSON files is decoded in-process whatever its size, and JSON files never go to a helper."""

Decoded = tuple[Any, list[str]]
"""A file's document, or ``None`` and the problems that stopped it."""


def decode_file(path: str) -> Decoded:
    try:
        return (load_document(read_regular_file(path), path), [])
    except InvalidInput as exc:
        return (None, list(exc.problems))


def read_regular_file(path: str) -> bytes:
    """The bytes of the regular file at ``path``, read whatever it was replaced by since the walk
    saw it: a FIFO or device is refused without blocking on it, and no more than
    :data:`~mom.serialization.MAX_DOCUMENT_BYTES` plus one are ever read."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InvalidInput(path, [f"cannot read file: {exc.strerror}"]) from exc
    with os.fdopen(descriptor, "rb") as stream:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise InvalidInput(path, ["not a regular file; refused unread"])
        try:
            data = stream.read(MAX_DOCUMENT_BYTES + 1)
        except OSError as exc:
            raise InvalidInput(path, [f"cannot read file: {exc.strerror}"]) from exc
    return data


def _cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def decode_files(paths: list[Path], sizes: list[int]) -> list[Decoded]:
    """``(document, problems)`` per path, in order."""
    cpus = min(_cpu_count(), 8)
    if cpus < 2 or sum(sizes) < PARALLEL_MIN_BYTES:
        return [decode_file(str(path)) for path in paths]
    costs = [
        0 if size >= SNIFF_MIN_BYTES and _file_looks_like_json(path) else size
        for path, size in zip(paths, sizes, strict=True)
    ]
    if sum(costs) < PARALLEL_MIN_BYTES:
        return [decode_file(str(path)) for path in paths]
    batches = _balanced_batches(costs, cpus)
    helpers = [_start_helper([str(paths[i]) for i in batch]) for batch in batches[1:]]
    results: list[Decoded] = [(None, [])] * len(paths)
    for index in batches[0]:
        results[index] = decode_file(str(paths[index]))
    for batch, helper in zip(batches[1:], helpers, strict=True):
        outcomes = _finish_helper(helper, len(batch))
        for index, outcome in zip(batch, outcomes or [None] * len(batch), strict=True):
            results[index] = outcome if outcome is not None else decode_file(str(paths[index]))
    return results


def _file_looks_like_json(path: Path) -> bool:
    """Whether the file starts as JSON does (as :func:`~mom.serialization.load_document` decides)."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError:
        return False
    with os.fdopen(descriptor, "rb") as stream:
        return stat.S_ISREG(os.fstat(descriptor).st_mode) and looks_like_json(stream.read(256))


def _start_helper(paths: list[str]) -> subprocess.Popen[bytes] | None:
    import subprocess  # only for a tree big enough to share out; a small one never needs it

    try:
        helper = subprocess.Popen(
            [sys.executable, "-m", "mom.mustgather._decoding"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert helper.stdin is not None
        helper.stdin.write(dump_json(paths))  # The helper reads all of stdin before working.
        helper.stdin.close()
    except OSError as exc:
        _log().debug("decoding in-process: cannot start a helper: %s", exc)
        return None
    return helper


def _finish_helper(helper: subprocess.Popen[bytes] | None, count: int) -> list[Decoded | None] | None:
    """The helper's outcomes (``None`` entries: decode in-process), or ``None`` if it failed."""
    if helper is None:
        return None
    assert helper.stdout is not None
    with helper.stdout:
        stdout = helper.stdout.read()
    if helper.wait() != 0:
        _log().debug("decoding in-process: helper exited with %s", helper.returncode)
        return None
    try:
        outcomes = load_json(stdout, "decoding helper output")
    except InvalidInput:
        return None
    if not isinstance(outcomes, list) or len(outcomes) != count:
        return None
    return [None if item is None else (item[0], item[1]) for item in outcomes]


def _balanced_batches(costs: list[int], count: int) -> list[list[int]]:
    """Indexes split into ``count`` batches of similar total cost, in path order within each;
    the free ones (JSON) all in the first batch, the one decoded in-process."""
    batches: list[list[int]] = [[] for _ in range(count)]
    totals = [0] * count
    for index in sorted(range(len(costs)), key=lambda i: -costs[i]):
        smallest = 0 if costs[index] == 0 else totals.index(min(totals))
        batches[smallest].append(index)
        totals[smallest] += costs[index]
    return [sorted(batch) for batch in batches if batch]


def _helper_outcome(path: str) -> Any:
    document, problems = decode_file(path)
    try:
        dump_json(document)
    except TypeError:  # Values JSON cannot carry (YAML !!binary, ...): the parent decodes it.
        return None
    return [document, problems]


def _serve() -> None:
    paths = load_json(sys.stdin.buffer.read(), "stdin")
    outcomes = [_helper_outcome(str(path)) for path in paths]
    sys.stdout.buffer.write(dump_json(outcomes))


if __name__ == "__main__":
    _serve()
