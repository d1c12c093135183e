"""File and event names, and digests fed in pieces, hash to the same digest as ``hashlib`` gives."""

from __future__ import annotations

import hashlib

import pytest

from mom.api.digest import sha256, sha256_hex


@pytest.mark.parametrize("data", [b"", b"NormalmusteventMessage", "é/long-name".encode() * 40])
def test_the_digest_is_hashlib_s_sha256(data: bytes) -> None:
    assert sha256_hex(data) == hashlib.sha256(data).hexdigest()


def test_a_digest_fed_in_pieces_is_hashlib_s_sha256() -> None:
    hasher = sha256(b"mom-input-digest-v1\n")
    expected = hashlib.sha256(b"mom-input-digest-v1\n")
    for piece in (b"", b"{}", "é".encode() * 1000, b"\n"):
        hasher.update(piece)
        expected.update(piece)
    assert hasher.hexdigest() == expected.hexdigest()
