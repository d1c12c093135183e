"""The live tests' kube-apiserver and etcd binaries: :mod:`mom.envtest.binaries`, re-exported.

Run it as a script to pre-build them with the compiler's progress on the terminal (it works
before mom is installed: the module needs only the standard library)::

    python tests/live/binaries.py
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":  # a checkout, perhaps before mom is installed
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from mom.envtest.binaries import (
    ETCD_MODULE,
    KUBE_MODULE,
    Binaries,
    BuildError,
    cache_dir,
    cache_root,
    cached,
    ensure,
    main,
    required_version,
)

__all__ = [
    "ETCD_MODULE",
    "KUBE_MODULE",
    "Binaries",
    "BuildError",
    "cache_dir",
    "cache_root",
    "cached",
    "ensure",
    "main",
    "required_version",
]

if __name__ == "__main__":
    sys.exit(main())
