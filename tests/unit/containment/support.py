"""A hostile subprocess operator under a real ``mom run --once``, and what to look at after.

An operator here is a Python script honouring the operator contract: it declares one input
(the ``openshift-authentication`` namespace) and one output (ConfigMap ``ok`` in it), writes
that one valid mutation, and then runs the *attack* — code a test supplies. The manager runs
in a child process with a deadline, so a hang fails the test instead of stalling it, and
reports its peak RSS growth.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from mom.journal.journal import Journal
from mom.journal.records import RunRecord
from mom.operator.landlock import abi_version

EXAMPLE_CLUSTER = Path(__file__).resolve().parents[3] / "examples" / "standalone" / "cluster"
APPLIED_CONFIGMAP = Path("namespaces/openshift-authentication/core/configmaps/ok.yaml")
"""Where the operator's valid mutation lands in the manifest-directory cluster."""
needs_landlock = pytest.mark.skipif(abi_version()[0] == 0, reason=f"no Landlock here: {abi_version()[1]}")
"""For tests of the confinement itself; everything else holds without it."""
MANAGER_DEADLINE = 120.0
"""A hang shows up as a failed test after this long, never as a stalled suite."""

INPUTS = {
    "applyConfigurationResources": {
        "exactResources": [
            {"group": "", "version": "v1", "resource": "namespaces", "name": "openshift-authentication"}
        ]
    }
}
OUTPUTS = {
    "configurationResources": {},
    "managementResources": {},
    "userWorkloadResources": {
        "exactResources": [
            {
                "group": "",
                "version": "v1",
                "resource": "configmaps",
                "namespace": "openshift-authentication",
                "name": "ok",
            }
        ]
    },
}

_PROLOGUE = """\
#!{python}
import json, os, signal, socket, subprocess, sys, time
from pathlib import Path

command = sys.argv[1]
if command == "input-resources":
    {declare_inputs}
    sys.exit(0)
if command == "output-resources":
    {declare_outputs}
    sys.exit(0)
flags = dict(zip(sys.argv[2::2], sys.argv[3::2]))
output = Path(flags["--output-dir"])
target = output / "UserWorkload/Create/namespaces/openshift-authentication/core/configmaps"
target.mkdir(parents=True)
(target / "0000-body-ok.yaml").write_text(
    "apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: ok\\n  namespace: openshift-authentication\\n"
)
(target / "0000-metadata-ok.yaml").write_text(
    "action: Create\\nname: ok\\nnamespace: openshift-authentication\\n"
    "resourceType:\\n  Group: ''\\n  Version: v1\\n  Resource: configmaps\\n"
)
(output / "controller-results.yaml").write_text(
    "controllerResults:\\n- controllerName: hostile\\n  status: Succeeded\\n"
)
"""


@dataclass(frozen=True)
class ManagerRun:
    """One ``mom run --once`` of a configuration holding the hostile operator."""

    exit_code: int
    stdout: str
    stderr: str
    rss_growth_kib: int
    """Peak resident memory of the manager process minus its peak before the run."""


@dataclass(frozen=True)
class Setup:
    root: Path
    config: Path
    cluster: Path
    journal: Path
    operator: Path

    def run(self, deadline: float = MANAGER_DEADLINE) -> ManagerRun:
        """``mom run --once`` in a child process; fails the test when it has not ended by ``deadline``."""
        probe = textwrap.dedent(
            f"""
            import resource, sys
            from mom.cli.main import main
            before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            code = main(["run", "--config", {str(self.config)!r}, "--once"])
            after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(f"rss-growth-kib={{after - before}}", file=sys.stderr)
            sys.exit(code)
            """
        )
        done = subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            timeout=deadline,
            check=False,
            cwd=self.root,
            stdin=subprocess.DEVNULL,
        )
        lines = done.stderr.splitlines()
        growth = [int(line.split("=", 1)[1]) for line in lines if line.startswith("rss-growth-kib=")]
        assert growth, f"the manager did not finish normally:\n{done.stderr[-4000:]}"
        stderr = "\n".join(line for line in lines if not line.startswith("rss-growth-kib="))
        return ManagerRun(done.returncode, done.stdout, stderr, growth[0])

    def last_run(self) -> RunRecord:
        journal = Journal(self.journal, create=False)
        try:
            record = journal.last_run("hostile", "standalone")
            assert record is not None, "the journal holds no run of the operator"
            return record
        finally:
            journal.close()

    def applied(self) -> bool:
        """Whether the operator's one valid mutation reached the cluster."""
        return (self.cluster / APPLIED_CONFIGMAP).is_file()

    def cluster_files(self) -> dict[str, bytes]:
        return {
            str(path.relative_to(self.cluster)): path.read_bytes()
            for path in sorted(self.cluster.rglob("*"))
            if path.is_file()
        }


def hostile_operator(
    root: Path,
    attack: str,
    *,
    timeout: float = 30.0,
    network: bool | None = None,
    declare_inputs: str = f"print(json.dumps({INPUTS!r}))",
    declare_outputs: str = f"print(json.dumps({OUTPUTS!r}))",
) -> Setup:
    """A manager configuration in ``root`` whose one operator writes its valid mutation, then runs
    ``attack`` (Python source; ``output``, ``flags`` and the standard modules are in scope)."""
    cluster = root / "cluster"
    shutil.copytree(EXAMPLE_CLUSTER, cluster)
    operator = root / "hostile.py"
    prologue = _PROLOGUE.format(
        python=sys.executable, declare_inputs=declare_inputs, declare_outputs=declare_outputs
    )
    operator.write_text(prologue + textwrap.dedent(attack).strip() + "\n")
    operator.chmod(0o755)
    spec: dict[str, object] = {"name": "hostile", "command": ["./hostile.py"], "timeout": timeout}
    if network is not None:
        spec["network"] = network
    config = root / "mom.yaml"
    config.write_text(
        json.dumps(
            {
                "journal": "state/journal.sqlite",
                "operators": [spec],
                "clusters": [{"name": "standalone", "manifestDir": "cluster"}],
                "instances": [{"name": "standalone", "topology": "Standalone", "cluster": "standalone"}],
            }
        )
    )
    (root / "state").mkdir()
    return Setup(root, config, cluster, root / "state" / "journal.sqlite", operator)


def process_alive(pid: int) -> bool:
    """Whether ``pid`` still runs (a zombie counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def no_traceback(text: str) -> None:
    assert "Traceback" not in text, text
