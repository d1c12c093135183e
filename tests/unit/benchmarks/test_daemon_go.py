"""The pure parts of the real-daemon benchmark (``python -m benchmarks daemon_go``).

Covers: a ``/proc/<pid>/stat`` line read for its command name, parent and utime + stime, also when
the name holds spaces and parentheses, and a truncated line refused; ``VmRSS`` read from a
``/proc/<pid>/status`` text in bytes (0 for a zombie without one); this process's own CPU and
children as read from ``/proc``; a live process sampled over a window, and one already gone refused;
a measured window extrapolated to a day (mean RSS x 86400 as GiB-s, CPU rate x 86400 as CPU-s,
millicores); the periodic job's day at the 10-minute resync (24 running processes and 120 quiet
ones, by their medians); the job for a fleet of operators like the measured one (each run added,
the process's own cost once); the bare interpreter measured as a floor under any periodic job; the daemon's command line and environment taken from the must-gather's
Deployment (its ``--v``, plain env values, the pod name in place of a field reference); the
FeatureGate status the daemon waits for; error lines grouped by message with numbers cut; objects
and CRDs stripped of what a server sets; the objects seeded (the declared inputs found, plus the
undeclared reads named, the rest reported missing); and, without the operator binary, one line
saying why and nothing measured, and bad options refused.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from benchmarks.daemon_go import (
    GATES_ASKED,
    NAMESPACE,
    POD_NAME,
    daemon_command,
    error_kinds,
    feature_gate_status,
    fleet_job,
    main,
    per_day,
)
from benchmarks.manager import OnceProcess, Periodic, bare_interpreter
from benchmarks.sampling import (
    GIB,
    Window,
    children_named,
    cpu_seconds,
    measure_windows,
    parse_stat,
    parse_vm_rss,
)
from benchmarks.seeded_cluster import SERVICES, crd_for_install, object_for_create, objects_to_seed

from mom.api.input_resources import InputResources
from mom.api.resources import GroupVersionResource, ObjectRef
from mom.mustgather.store import Snapshot

STAT = "4242 (kube-apiserver) S 17 4242 17 0 -1 4194560 9000 0 0 0 1234 567 0 0 20 0 12 0 99 0 0"


def test_stat_gives_name_parent_and_cpu_ticks() -> None:
    assert parse_stat(STAT) == ("kube-apiserver", 17, 1234 + 567)


def test_stat_name_with_spaces_and_parentheses() -> None:
    line = STAT.replace("(kube-apiserver)", "(a (weird) name)")
    assert parse_stat(line) == ("a (weird) name", 17, 1801)


def test_truncated_stat_is_refused() -> None:
    with pytest.raises(ValueError, match="not a /proc"):
        parse_stat("4242 (x) S 17 4242")


def test_vm_rss_in_bytes() -> None:
    status = "Name:\tx\nVmPeak:\t  9000 kB\nVmRSS:\t  151000 kB\nThreads:\t12\n"
    assert parse_vm_rss(status) == 151000 * 1024
    assert parse_vm_rss("Name:\tx\nState:\tZ (zombie)\n") == 0


def test_own_process_read_from_proc() -> None:
    assert cpu_seconds(os.getpid()) > 0
    assert children_named(os.getpid(), "no-such-command") == []


def test_window_extrapolated_to_a_day() -> None:
    window = Window(wall=60.0, cpu=3.0, mean_rss=150 * 2**20, peak_rss=160 * 2**20)
    assert window.millicores == pytest.approx(50.0)
    gib_seconds, cpu_per_day = per_day(window)
    assert cpu_per_day == pytest.approx(3.0 / 60.0 * 86400)
    assert gib_seconds == pytest.approx(150 / 1024 * 86400)


def test_periodic_job_day_at_ten_minutes() -> None:
    running = [OnceProcess(2.0, 1.3, GIB // 8), OnceProcess(3.0, 1.4, GIB // 8), OnceProcess(9.0, 9.0, GIB)]
    quiet = [OnceProcess(0.5, 0.2, GIB // 4)] * 3
    gib_seconds, cpu = Periodic(running, quiet).per_day(600.0)
    assert cpu == pytest.approx(24 * 1.4 + 120 * 0.2)
    assert gib_seconds == pytest.approx(24 * (3.0 / 8) + 120 * (0.5 / 4))


def test_the_bare_interpreter_floor_is_a_real_process() -> None:
    floor = bare_interpreter(samples=3)
    assert 0 < floor.cpu < 5 and floor.wall >= floor.cpu / 2
    assert 2**20 < floor.peak < 2**30


def test_a_fleet_of_operators_adds_each_run_not_each_process() -> None:
    running = [OnceProcess(1.0, 1.0, 200 * 2**20)] * 3
    quiet = [OnceProcess(0.2, 0.15, 60 * 2**20)] * 3
    fleet = fleet_job(Periodic(running, quiet), 17)
    assert fleet.quiet == quiet
    assert fleet.running[0].cpu == pytest.approx(0.15 + 17 * 0.85)
    assert fleet.running[0].wall == pytest.approx(0.2 + 17 * 0.8)
    assert fleet.running[0].peak == 60 * 2**20 + 17 * 140 * 2**20
    assert fleet_job(Periodic(running, quiet), 1).per_day(600.0) == Periodic(running, quiet).per_day(600.0)


def test_daemon_runs_as_the_deployment_does(tmp_path: Path) -> None:
    container = {
        "command": ["/bin/bash", "-ec"],
        "args": [
            "exec authentication-operator operator --config=/var/run/x.yaml --v=2 --terminate-on-files=/y\n"
        ],
        "env": [
            {"name": "IMAGE_OAUTH_SERVER", "value": "quay.io/oauth@sha256:aa"},
            {"name": "OPERATOR_IMAGE_VERSION", "value": "4.8.0"},
            {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        ],
    }
    binary, config, kubeconfig = tmp_path / "op", tmp_path / "c.yaml", tmp_path / "kubeconfig"
    command, env = daemon_command(binary, container, config, kubeconfig, 18443)
    assert command == [
        str(binary),
        "operator",
        f"--config={config}",
        f"--kubeconfig={kubeconfig}",
        f"--namespace={NAMESPACE}",
        "--listen=127.0.0.1:18443",
        "--v=2",
    ]
    assert env["IMAGE_OAUTH_SERVER"] == "quay.io/oauth@sha256:aa"
    assert env["OPERATOR_IMAGE_VERSION"] == "4.8.0"
    assert env["POD_NAME"] == POD_NAME


def test_feature_gates_for_the_operator_version() -> None:
    status = feature_gate_status("4.8.0-0.nightly")
    (gates,) = status["featureGates"]
    assert gates["version"] == "4.8.0-0.nightly"
    assert gates["enabled"] == []
    assert [g["name"] for g in gates["disabled"]] == list(GATES_ASKED)


def test_error_lines_grouped_by_message() -> None:
    lines = [
        'E1201 22:35:04.341562   26510 base_controller.go:279] "Unhandled Error" err="dial 10.0.0.56:443 refused"',
        'E1201 22:35:09.002001   26510 base_controller.go:279] "Unhandled Error" err="dial 10.0.0.57:443 refused"',
        "I1201 22:35:09.002001   26510 event.go:377] Event(...)",
    ]
    assert error_kinds(lines) == {'"Unhandled Error" err="dial N.N.N.N:N refused"': 2}


def test_object_stripped_of_server_set_fields() -> None:
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "api",
            "namespace": "ns",
            "uid": "u",
            "resourceVersion": "7",
            "labels": {"a": "b"},
        },
        "spec": {"clusterIP": "172.30.0.1", "clusterIPs": ["172.30.0.1"], "ports": [{"port": 443}]},
        "status": {"loadBalancer": {}},
    }
    fresh = object_for_create(SERVICES, service)
    assert fresh["metadata"] == {"name": "api", "namespace": "ns", "labels": {"a": "b"}}
    assert fresh["spec"] == {"ports": [{"port": 443}]}
    assert service["spec"]["clusterIP"] == "172.30.0.1"  # the recorded object is left alone
    secret = {"metadata": {"name": "s", "creationTimestamp": "x"}, "spec": {"clusterIP": "kept"}}
    assert object_for_create(GroupVersionResource("", "v1", "secrets"), secret)["spec"] == {
        "clusterIP": "kept"
    }


def test_crd_installed_as_a_fresh_one() -> None:
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "oauths.config.openshift.io", "uid": "u", "annotations": {"a": "b"}},
        "spec": {"group": "config.openshift.io"},
        "status": {"storedVersions": ["v1"]},
    }
    assert crd_for_install(crd) == {
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "oauths.config.openshift.io", "annotations": {"a": "b"}},
        "spec": {"group": "config.openshift.io"},
    }


def test_without_the_operator_binary_it_says_why_and_measures_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MOM_OPERATORS_DIR", str(tmp_path / "nothing-here"))
    monkeypatch.setenv("MOM_OPERATORS_CACHE", str(tmp_path / "cache"))
    main(["--window", "1", "--warm-up", "1"])
    out = capsys.readouterr().out
    assert out.startswith("daemon_go: skipped: ")
    assert "authentication-operator.xz not found" in out
    assert not (tmp_path / "cache" / "authentication-operator").exists()


def test_bad_options_are_refused_before_anything_starts(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--window", "0"])
    assert exit_info.value.code == 2
    assert "--window" in capsys.readouterr().err


def _configmap(namespace: str, name: str) -> dict[str, object]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": namespace}}


def test_seeded_objects_are_the_declared_inputs_and_the_undeclared_reads() -> None:
    configmaps = GroupVersionResource("", "v1", "configmaps")
    snapshot = Snapshot.from_objects(
        [
            (ObjectRef(configmaps, "a", "declared"), _configmap("a", "declared")),
            (ObjectRef(configmaps, "a", "other"), _configmap("a", "other")),
            (ObjectRef(configmaps, "b", "read"), _configmap("b", "read")),
        ]
    )
    declaration = InputResources.from_wire(
        {
            "applyConfigurationResources": {
                "exactResources": [
                    {
                        "group": "",
                        "version": "v1",
                        "resource": "configmaps",
                        "namespace": "a",
                        "name": "declared",
                    },
                    {
                        "group": "",
                        "version": "v1",
                        "resource": "configmaps",
                        "namespace": "a",
                        "name": "gone",
                    },
                ]
            }
        },
        "test",
    )
    also = [ObjectRef(configmaps, "b", "read"), ObjectRef(configmaps, "b", "absent")]
    objects, missing = objects_to_seed(snapshot, declaration, also)
    assert [(ref.namespace, ref.name) for ref, _ in objects] == [("a", "declared"), ("b", "read")]
    assert len(missing) == 2
    assert "a/gone" in missing[0]
    assert "b/absent" in missing[1]


def test_a_window_samples_a_live_process_and_refuses_a_gone_one() -> None:
    (window,) = measure_windows([os.getpid()], 0.2, interval=0.05)
    assert window.wall >= 0.2
    assert window.mean_rss > 0
    assert window.peak_rss >= window.mean_rss
    gone = subprocess.Popen(["true"])
    gone.wait()
    with pytest.raises(ProcessLookupError, match=str(gone.pid)):
        measure_windows([gone.pid], 0.2, interval=0.05)
