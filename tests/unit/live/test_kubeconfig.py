"""The one kubeconfig loader: what it accepts and the one line it says about what it refuses.

Covers: the current context or a named one chosen, with its server; a transport sending the
user's token to the server; a certificate file that cannot be read;
and one error line naming the file for a missing file, a document that is not a kubeconfig,
no current context, an unknown context, a context whose cluster or user is missing, an
``auth-provider`` user and an exec plugin API version mom cannot call. The same messages reach
every live command (``mom create-input-resources from-cluster`` shown here).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from live_support import Server, write_kubeconfig

from mom.api.errors import InvalidInput
from mom.cli.main import main
from mom.client.messages import ApiRequest
from mom.live.kubeconfig import load_kubeconfig
from mom.live.transport import LiveTransport


def test_the_current_context_or_the_named_one_is_chosen(tmp_path: Path) -> None:
    path = write_kubeconfig(tmp_path)
    assert load_kubeconfig(path).server == "http://127.0.0.1:1"
    chosen = load_kubeconfig(path, "other")
    assert (chosen.context, chosen.server) == ("other", "http://127.0.0.1:2")


def test_a_transport_reaches_the_server_as_the_contexts_user(kubeconfig: Path, server: Server) -> None:
    transport = LiveTransport(kubeconfig, user_agent="mom-test")
    try:
        answer = transport.handle(ApiRequest("GET", "/api/v1/namespaces/demo/configmaps/a"))
    finally:
        transport.close()
    assert answer.status == 200
    assert server.seen == [("GET", "/api/v1/namespaces/demo/configmaps/a", "Bearer secret-token", "mom-test")]


def test_a_certificate_that_cannot_be_read_is_one_line(tmp_path: Path) -> None:
    cluster = {"server": "https://127.0.0.1:1", "certificate-authority": "ca.crt"}
    path = write_kubeconfig(tmp_path, clusters=[{"name": "one", "cluster": cluster}])
    with pytest.raises(InvalidInput) as refused:
        LiveTransport(path)  # no ca.crt beside the kubeconfig
    assert str(refused.value).startswith(f"{path}: context 'main': unusable credentials: ")
    assert "\n" not in str(refused.value)


REFUSED = [
    ({"current-context": None}, "no current-context set and no context named"),
    ({"contexts": "main"}, "not a kubeconfig: contexts must be a list of {name, context}"),
    ({"contexts": [{"name": "main", "context": {"cluster": "gone"}}]}, "context 'main': no cluster 'gone'"),
    (
        {"contexts": [{"name": "main", "context": {"cluster": "one", "user": "nobody"}}]},
        "context 'main': no user 'nobody'",
    ),
    (
        {"users": [{"name": "admin", "user": {"auth-provider": {"name": "gcp"}}}]},
        "user 'admin': auth-provider is not supported (use a token, a client certificate or an exec plugin)",
    ),
    (
        {"users": [{"name": "admin", "user": {"exec": {"apiVersion": "example.com/v9", "command": "x"}}}]},
        "user 'admin': exec plugin apiVersion 'example.com/v9' is not supported",
    ),
]


@pytest.mark.parametrize(("overrides", "message"), REFUSED)
def test_an_unusable_kubeconfig_is_one_line_naming_the_file(
    tmp_path: Path, overrides: dict[str, Any], message: str
) -> None:
    path = write_kubeconfig(tmp_path, **overrides)
    with pytest.raises(InvalidInput) as refused:
        load_kubeconfig(path)
    assert str(refused.value).startswith(f"{path}: {message}")
    assert "\n" not in str(refused.value)


def test_a_missing_file_an_unknown_context_and_a_non_kubeconfig_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="kubeconfig not found"):
        load_kubeconfig(tmp_path / "absent")
    with pytest.raises(InvalidInput, match="no context 'staging'"):
        load_kubeconfig(write_kubeconfig(tmp_path), "staging")
    (tmp_path / "list").write_text("- a\n- b\n")
    with pytest.raises(InvalidInput, match="not a kubeconfig"):
        load_kubeconfig(tmp_path / "list")


def test_a_live_command_reports_the_loaders_line_and_exit_code_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "input-resources.yaml"
    spec.write_text("applyConfigurationResources: {}\n")
    argv = ["create-input-resources", "from-cluster", "--kubeconfig", str(tmp_path / "absent")]
    argv += ["--input-resources", str(spec), "--output-dir", str(tmp_path / "out")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err == f"mom: error: {tmp_path / 'absent'}: kubeconfig not found\n"
