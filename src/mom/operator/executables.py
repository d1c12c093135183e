"""Finding an operator's executable the way the operator contract names it."""

from __future__ import annotations

import os
import shutil
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
    return shutil.which(name) or shutil.which(name, path=str(Path(sys.executable).parent))
