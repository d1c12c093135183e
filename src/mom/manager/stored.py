"""A journaled run's stored inputs, unpacked where they can be read and run again.

Owns :func:`stored_inputs` (the inputs of a run as the journal stored them, as the runner seam
takes them) and :func:`scratch` (a private directory removed afterwards); recovery, replay and
the input history read stored inputs through them.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

from mom.journal.archive import unpack_dir
from mom.manager.operators import RunInputs
from mom.mustgather.loader import load_must_gather


def stored_inputs(archive: bytes, directory: Path) -> RunInputs:
    """The inputs packed in ``archive``, unpacked into ``directory`` and loaded from there; an
    executable gets them unpacked again into a directory of its own."""
    unpack_dir(archive, directory)
    return RunInputs(snapshot=load_must_gather(directory), lay_out=partial(unpack_dir, archive))


@contextmanager
def scratch() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="mom-run-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)
