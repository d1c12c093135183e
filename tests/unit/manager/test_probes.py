"""The probe endpoint of ``mom run --probe-address`` (served on loopback here).

Covers: /healthz is 200 while the loop beats and 503 once it has been silent too long; /metrics
serves the last tick's text; unknown paths are 404; a malformed address is one clear error.
"""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from mom.api.errors import InvalidInput
from mom.manager.scaleout.probes import Probes, parse_address, serve_probes


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def get(port: int, path: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_health_follows_the_loop_and_metrics_are_served() -> None:
    clock = Clock()
    probes = Probes(clock, stale_after=60)
    server = serve_probes(probes, ("127.0.0.1", 0))
    port = server.server_address[1]
    try:
        assert get(port, "/healthz") == (200, "ok\n")
        probes.beat("mom_runs_total 3\n")
        assert get(port, "/metrics") == (200, "mom_runs_total 3\n")
        clock.now += 61
        assert get(port, "/healthz")[0] == 503
        assert get(port, "/readyz") == (200, "ok\n")
        probes.beat()
        assert get(port, "/healthz") == (200, "ok\n")
        assert get(port, "/metrics") == (200, "mom_runs_total 3\n"), "a beat without metrics keeps the last"
        assert get(port, "/other")[0] == 404
    finally:
        server.shutdown()


def test_addresses() -> None:
    assert parse_address(":8080") == ("0.0.0.0", 8080)
    assert parse_address("127.0.0.1:9") == ("127.0.0.1", 9)
    for bad in ("8080x", "host:", "host:70000"):
        with pytest.raises(InvalidInput, match="want HOST:PORT"):
            parse_address(bad)
