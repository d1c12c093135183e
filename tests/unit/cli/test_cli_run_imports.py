"""``mom run --once`` loads only what one pass of the manager uses.

Covers: a one-shot run of the standalone example, in a fresh interpreter under ``-X importtime``,
converges (exit 0) without loading the HTTP server the health probes use, nor the mail,
TLS and socket modules it brings; those load only when ``--probe-address`` asks for probes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.import_trace import imported_modules

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"

UNUSED = ("http.server", "http.client", "email", "ssl", "socket", "socketserver")


def test_run_once_without_probes_loads_no_network_server(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "standalone", tmp_path / "standalone")
    config = tmp_path / "standalone" / "mom.yaml"
    completed, modules = imported_modules("mom.cli.main", ["run", "--config", str(config), "--once"])
    assert completed.returncode == 0, completed.stderr[-2000:]
    assert "mom.manager.loop" in modules, "importtime output was read"
    assert sorted(m for m in modules if m in UNUSED or m.startswith("email.")) == []
