"""Where a command's must-gather comes from, and loading it with progress on a terminal.

Owns: the ``--must-gather-dir`` option (a directory or a ``.tar``/``.tar.gz``/``.tar.xz``
archive), falling back to ``$MOM_MUST_GATHER`` and then to the one chosen with ``mom use``
(kept in ``$XDG_CONFIG_HOME/mom/must-gather``, else ``~/.config/mom/must-gather``);
:func:`open_must_gather`, which unpacks an archive into the cache, shows elapsed time on a
terminal while the tree loads, then tidies the cache: parsed trees whose tree is gone go, then
what was used least recently, until it is under ``$MOM_CACHE_MAX_BYTES`` (default 2 GiB).
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mom.api.errors import InvalidInput
from mom.mustgather.archive import unpacked
from mom.mustgather.eviction import max_bytes_from, touch
from mom.mustgather.layout import find_resource_root
from mom.mustgather.loader import cache_file, default_cache_dir, load_must_gather, tidy_cache
from mom.mustgather.store import Snapshot

ENVIRONMENT = "MOM_MUST_GATHER"
USED_FILE = "must-gather"


def add_source_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--must-gather-dir",
        type=Path,
        metavar="DIR|ARCHIVE",
        help=f"must-gather directory or .tar/.tar.gz/.tar.xz (default: ${ENVIRONMENT}, then `mom use`)",
    )


def used_file() -> Path:
    """Where ``mom use`` keeps the chosen must-gather."""
    if xdg := os.environ.get("XDG_CONFIG_HOME"):
        return Path(xdg) / "mom" / USED_FILE
    return Path.home() / ".config" / "mom" / USED_FILE


def chosen(given: Path | None) -> Path:
    """``given``, else the environment's, else the one ``mom use`` chose; :class:`InvalidInput` when none."""
    if given is not None:
        return given
    if from_environment := os.environ.get(ENVIRONMENT):
        return Path(from_environment)
    try:
        remembered = used_file().read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        remembered = ""
    if remembered:
        return Path(remembered)
    raise InvalidInput(
        "--must-gather-dir", [f"required (or set ${ENVIRONMENT}, or run `mom use DIR|ARCHIVE`)"]
    )


@contextmanager
def _progress(what: str) -> Iterator[None]:
    """Elapsed time on stderr while the body runs, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield
        return
    done = threading.Event()
    started = time.monotonic()

    def show() -> None:
        while not done.wait(0.2):
            sys.stderr.write(f"\rloading {what} … {time.monotonic() - started:.1f}s")
            sys.stderr.flush()

    thread = threading.Thread(target=show, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        sys.stderr.write(f"\rloaded {what} in {time.monotonic() - started:.1f}s\033[K\n")
        sys.stderr.flush()


def open_must_gather(given: Path | None, *, use_cache: bool = True) -> Snapshot:
    """The snapshot of the chosen must-gather (see the module docstring)."""
    path = chosen(given)
    if not path.exists():
        raise InvalidInput(str(path), ["no such file or directory"])
    cache_dir = default_cache_dir()
    max_bytes = max_bytes_from(os.environ)
    with _progress(str(path)):
        if path.is_file():
            cache_dir.mkdir(parents=True, exist_ok=True)
            directory = unpacked(path, cache_dir)
        else:
            directory = path
        snapshot = load_must_gather(
            directory, cache_dir=cache_dir if use_cache else None, freeze=True, tidy=False
        )
    if cache_dir.is_dir() and (use_cache or path.is_file()):  # --no-cache on a directory writes nothing
        in_use = [directory]
        if use_cache:
            entry = cache_file(cache_dir, find_resource_root(directory))
            touch(entry)
            in_use.append(entry)
        tidy_cache(cache_dir, max_bytes, keep=in_use)
    return snapshot
