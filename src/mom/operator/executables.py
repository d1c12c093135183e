"""Finding an operator's executable the way the operator contract names it."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def find_executable(name: str, working_dir: Path) -> str | None:
    """A path (with a separator) relative to ``working_dir``, made absolute so that it names the
    same file from any working directory; a bare name on PATH, else beside the running
    interpreter — where ``pip install`` put mom's own operators (``sample-operator``) even when
    that virtual environment is not on PATH. ``None`` when a bare name is found nowhere.
    """
    if os.sep in name or (os.altsep and os.altsep in name):
        return os.path.abspath(os.path.join(working_dir, name))
    return which(name) or which(name, path=str(Path(sys.executable).parent))


def which(name: str, path: str | None = None) -> str | None:
    """The executable file ``name`` names: itself when it holds a separator, else the first in
    the directories of ``path`` (default ``$PATH``) — what :func:`shutil.which` finds, without
    loading :mod:`shutil`, which loads three compressors with it."""
    if os.sep in name or (os.altsep and os.altsep in name):
        return name if _is_executable_file(name) else None
    directories = os.environ.get("PATH", os.defpath) if path is None else path
    for directory in directories.split(os.pathsep):
        candidate = os.path.join(directory, name)
        if _is_executable_file(candidate):
            return candidate
    return None


def _is_executable_file(path: str) -> bool:
    return os.path.exists(path) and os.access(path, os.X_OK) and not os.path.isdir(path)
