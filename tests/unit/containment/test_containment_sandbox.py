"""Attacks on what a subprocess operator can reach: files, network, other processes.

Covers: an operator that tries to write the journal, the pins, a cluster file, its own input
directory or anywhere outside its output directory is denied each time, while writes to its
output and its private temporary directory work and its valid mutation is applied; without
``network: true`` it cannot open a TCP connection, with it it can; it cannot signal the
manager; the ``network`` field is type-checked; where the kernel cannot confine operators the
manager says so once, at start, and keeps working; the real Go cluster-authentication-operator,
confined, still produces its golden outputs.
"""

from __future__ import annotations

import json
import logging
import shutil
import socket
from pathlib import Path

import pytest
from tests.unit.containment.support import Setup, hostile_operator, needs_landlock, no_traceback

from mom.cli.main import main
from mom.manager import assembly
from mom.manager.config import load_config
from mom.manager.specs import OperatorSpec
from mom.manager.subprocesses import SubprocessRunner
from mom.mutationdir.equivalence import compare_outputs
from mom.operator import sandbox as sandbox_module
from mom.operator.command import parse_now
from mom.operator.landlock import abi_version
from mom.operator.sandbox import Sandbox, probe_sandbox
from mom.testing.cases import load_case

ATTEMPT = """
def attempt(label, action):
    try:
        action()
    except OSError as exc:
        print(f"{label}: denied ({exc.strerror})", file=sys.stderr)
    else:
        print(f"{label}: done", file=sys.stderr)
"""


def outcomes(setup: Setup) -> dict[str, str]:
    """What each attempt of the operator came to, from the stderr the journal kept."""
    lines = [line.split(": ", 1) for line in setup.last_run().stderr.splitlines() if ": " in line]
    return {label: result.split(" ", 1)[0] for label, result in lines}


@needs_landlock
def test_an_operator_writes_only_its_output_and_temporary_directories(tmp_path: Path) -> None:
    setup = hostile_operator(
        tmp_path,
        ATTEMPT
        + f"""
state = Path({str(tmp_path / "state")!r})
cluster_file = Path({str(tmp_path / "cluster/namespaces/openshift-authentication/openshift-authentication.yaml")!r})
def append(path):
    with open(path, "ab") as handle:
        handle.write(b"ESCAPED")
attempt("journal", lambda: append(state / "journal.sqlite"))
attempt("pins", lambda: append(state / "journal.pins.json"))
attempt("new state file", lambda: (state / "planted").write_text("ESCAPED"))
attempt("cluster file", lambda: cluster_file.write_text("ESCAPED"))
attempt("cluster delete", lambda: cluster_file.unlink())
attempt("input dir", lambda: (Path(flags["--input-dir"]) / "planted").write_text("ESCAPED"))
attempt("home", lambda: (Path.home() / ".mom-escape").write_text("ESCAPED"))
attempt("config", lambda: Path({str(setup_config := tmp_path / "mom.yaml")!r}).write_text("ESCAPED"))
attempt("temporary", lambda: (Path(os.environ["TMPDIR"]) / "scratch").write_text("fine"))
attempt("output", lambda: (output / "scratch").write_text("fine"))
""",
    )
    before = setup.cluster_files()
    config_before = setup_config.read_bytes()
    run = setup.run()
    assert run.exit_code == 0, run.stderr
    assert outcomes(setup) == {
        "journal": "denied",
        "pins": "denied",
        "new state file": "denied",
        "cluster file": "denied",
        "cluster delete": "denied",
        "input dir": "denied",
        "home": "denied",
        "config": "denied",
        "temporary": "done",
        "output": "done",
    }
    assert setup.applied()
    applied = {"namespaces/openshift-authentication/core/configmaps/ok.yaml"}
    after = {path: content for path, content in setup.cluster_files().items() if not path.startswith(".mom/")}
    assert {path: after[path] for path in after if path not in applied} == before
    assert setup_config.read_bytes() == config_before
    assert not (tmp_path / "state" / "planted").exists()
    assert not (Path.home() / ".mom-escape").exists()
    for name in ("journal.sqlite", "journal.pins.json"):
        assert b"ESCAPED" not in (tmp_path / "state" / name).read_bytes()


@pytest.fixture
def listener() -> socket.socket:
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(10)
    yield server
    server.close()


def connect_attack(port: int) -> str:
    return (
        ATTEMPT + f'attempt("connect", lambda: socket.create_connection(("127.0.0.1", {port}), timeout=5))\n'
    )


@needs_landlock
def test_an_operator_has_no_network_by_default(tmp_path: Path, listener: socket.socket) -> None:
    setup = hostile_operator(tmp_path, connect_attack(listener.getsockname()[1]))
    run = setup.run()
    assert run.exit_code == 0, run.stderr
    assert outcomes(setup)["connect"] == "denied"
    assert setup.applied()


@needs_landlock
def test_network_true_lets_an_operator_connect(tmp_path: Path, listener: socket.socket) -> None:
    setup = hostile_operator(tmp_path, connect_attack(listener.getsockname()[1]), network=True)
    run = setup.run()
    assert run.exit_code == 0, run.stderr
    assert outcomes(setup)["connect"] == "done"
    connection, _ = listener.accept()
    connection.close()


@needs_landlock
def test_an_operator_cannot_signal_the_manager(tmp_path: Path) -> None:
    if abi_version()[0] < 6:
        pytest.skip("Landlock ABI < 6 cannot scope signals")
    setup = hostile_operator(
        tmp_path,
        ATTEMPT
        + """
def manager_pid():
    pid = os.getppid()
    while b"mom.cli.main" not in Path(f"/proc/{pid}/cmdline").read_bytes():
        pid = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    return pid
attempt("kill manager", lambda: os.kill(manager_pid(), signal.SIGKILL))
""",
    )
    run = setup.run()  # ending at all shows the manager survived
    assert run.exit_code == 0, run.stderr
    assert outcomes(setup)["kill manager"] == "denied"
    assert setup.applied()


def test_the_network_field_is_checked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "mom.yaml"
    config.write_text(
        json.dumps(
            {
                "operators": [
                    {"name": "a", "command": ["./a"], "network": "yes"},
                    {"name": "b", "python": "m:OP", "network": True},
                ],
                "clusters": [{"name": "c", "manifestDir": "."}],
                "instances": [{"name": "i", "topology": "Standalone", "cluster": "c"}],
            }
        )
    )
    assert main(["run", "--config", str(config), "--once"]) == 1
    err = capsys.readouterr().err
    assert 'operators[0].network: Invalid value: "yes": must be true or false' in err
    assert "operators[1].network: Invalid value: only a subprocess operator" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@needs_landlock
def test_the_probe_finds_this_kernel_able_to_confine() -> None:
    sandbox = probe_sandbox()
    assert sandbox.available, sandbox.notes


def test_without_a_sandbox_the_manager_says_so_once_and_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    setup = hostile_operator(tmp_path, "pass")
    config = json.loads(setup.config.read_text())
    config["operators"].append({**config["operators"][0], "name": "second"})
    setup.config.write_text(json.dumps(config))
    reason = "the kernel offers no Landlock (Function not implemented)"
    monkeypatch.setattr(sandbox_module, "probe_sandbox", lambda: Sandbox(False, (reason,)))
    with caplog.at_level(logging.WARNING, logger="mom.manager.assembly"):
        runners = assembly.build_runners(load_config(setup.config))
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "UNCONFINED" in warnings[0] and reason in warnings[0]
    assert sorted(runners) == ["hostile", "second"]
    no_traceback("\n".join(warnings))


@needs_landlock
@pytest.mark.parametrize("case_name", ["oauth-server-creation-minimal", "oauth-server-staticresource"])
def test_the_real_authentication_operator_runs_confined_and_matches_its_goldens(
    tmp_path: Path, authentication_operator: Path, authentication_operator_tests: Path, case_name: str
) -> None:
    """Confinement takes nothing a real operator needs: the Go cluster-authentication-operator,
    confined and without network, produces its own expected output."""
    source = authentication_operator_tests / "overall" / case_name
    case = load_case(source, authentication_operator_tests)
    input_dir = tmp_path / "input"
    shutil.copytree(case.input_dir, input_dir)
    spec = OperatorSpec(
        name="authentication-operator",
        command=(str(authentication_operator),),
        timeout=300,
        controllers=case.description.controllers or ("*",),
    )
    sandbox = probe_sandbox()
    assert sandbox.available, sandbox.notes
    runner = SubprocessRunner(spec, tmp_path, sandbox)
    now = parse_now(case.description.now)
    run = runner.apply_configuration(input_dir, tmp_path / "output", now)
    assert run.error == "", run.stderr[-2000:]
    assert run.exit_code == 0, run.stderr[-2000:]
    assert compare_outputs(case.expected_output_dir, tmp_path / "output") == []
