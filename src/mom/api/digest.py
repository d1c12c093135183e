"""The SHA-256 digests mom names things by: long file names, mutation files, events.

The digest comes from the interpreter's own SHA-256 module rather than :mod:`hashlib`, which loads
OpenSSL first: an operator run as a subprocess hashes a few short texts and would spend longer
loading OpenSSL than hashing. Interpreters built without that module fall back to :mod:`hashlib`;
the digest is the same either way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


def _sha256_constructor() -> Callable[[bytes], Any]:
    for name in ("_sha2", "_sha256"):  # the built-in module's name from Python 3.12 on, and before
        try:
            constructor: Callable[[bytes], Any] = __import__(name).sha256
        except ImportError:
            continue
        return constructor
    from hashlib import sha256

    return sha256


_SHA256 = _sha256_constructor()


class Hasher(Protocol):
    """A SHA-256 computation fed piece by piece, as ``hashlib.sha256()`` is."""

    def update(self, data: bytes, /) -> None: ...

    def hexdigest(self) -> str: ...


def sha256(data: bytes = b"") -> Hasher:
    """A SHA-256 hasher started with ``data``, as ``hashlib.sha256(data)``."""
    hasher: Hasher = _SHA256(data)
    return hasher


def sha256_hex(data: bytes) -> str:
    """The SHA-256 digest of ``data`` in lower-case hex, as ``hashlib.sha256(data).hexdigest()``."""
    return str(_SHA256(data).hexdigest())
