"""The live transport: requests, streams and fenced writes against a stand-in server.

Covers: a watch stream's lines, ending when the server goes quiet for ``quiet_after`` seconds
(no error: the caller opens it again); a server that does not answer in that time as
:data:`QUIET` with no lines; an unreachable server as one :class:`MomError` line; a write
refused with :class:`Fenced` and never sent once the write budget is spent, while reads still go.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from live_support import Server, write_kubeconfig

from mom.api.errors import Fenced, MomError
from mom.client.messages import ApiRequest
from mom.live.transport import QUIET, LiveTransport


def test_a_stream_gives_its_lines_and_ends_when_the_server_goes_quiet(kubeconfig: Path) -> None:
    transport = LiveTransport(kubeconfig)
    try:
        with transport.stream("/watch", [("watch", "true")], quiet_after=0.3) as (status, lines):
            assert status == 200
            assert list(lines) == ['{"type": "ADDED"}', '{"type": "MODIFIED"}']
        with transport.stream("/slow", [], quiet_after=0.3) as (status, lines):
            assert (status, list(lines)) == (QUIET, [])
    finally:
        transport.close()


def test_an_unreachable_server_is_one_line(tmp_path: Path) -> None:
    transport = LiveTransport(write_kubeconfig(tmp_path), timeout=2.0)
    try:
        with pytest.raises(MomError) as failed:
            transport.handle(ApiRequest("GET", "/api/v1/namespaces"))
    finally:
        transport.close()
    assert str(failed.value).startswith("GET /api/v1/namespaces: ")
    assert "\n" not in str(failed.value)


def test_no_write_is_sent_once_the_budget_is_spent(kubeconfig: Path, server: Server) -> None:
    transport = LiveTransport(kubeconfig, write_budget=lambda: 0.0)
    try:
        with pytest.raises(Fenced, match="not sent: this process may no longer write"):
            transport.handle(ApiRequest("POST", "/api/v1/namespaces", body=b"{}"))
        assert transport.handle(ApiRequest("GET", "/api/v1/namespaces")).status == 200
    finally:
        transport.close()
    assert [(method, path) for method, path, _, _ in server.seen] == [("GET", "/api/v1/namespaces")]
