"""File and event names hash to the same digest as ``hashlib`` gives."""

from __future__ import annotations

import hashlib

import pytest

from mom.api.digest import sha256_hex


@pytest.mark.parametrize("data", [b"", b"NormalmusteventMessage", "é/long-name".encode() * 40])
def test_the_digest_is_hashlib_s_sha256(data: bytes) -> None:
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()
