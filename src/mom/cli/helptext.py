"""What ``mom COMMAND --help`` says beyond the options: a description and examples.

Every command's help page ends with examples a user can run as printed (given the files they
name). :func:`explain` attaches them to the parsers the command modules registered; a command
that sets its own ``description=`` keeps it. ``tests/unit/cli/test_cli_help.py`` checks every
command has both.
"""

from __future__ import annotations

import argparse
import textwrap

from mom.api.values import Frozen

WIDTH = 78


class CommandHelp(Frozen):
    description: str
    examples: tuple[str, ...]

    __slots__ = ("description", "examples")

    def __init__(self, description: str, examples: tuple[str, ...]) -> None:
        object.__setattr__(self, "description", description)
        object.__setattr__(self, "examples", examples)


HELP: dict[str, CommandHelp] = {
    "": CommandHelp(
        "Multi-Operator Manager: run operators as functions of declared inputs.",
        (
            "mom run --config mom.yaml --once",
            "mom test apply-configuration --test-dir tests --output-dir test-output",
            "mom COMMAND --help",
        ),
    ),
    "get": CommandHelp(
        "Show objects of a must-gather directory the way kubectl get shows a cluster's: one object "
        "by name, or a list filtered by namespace, label and field selectors.",
        (
            "mom get --must-gather-dir ./must-gather configmaps -n openshift-config",
            "mom get --must-gather-dir ./must-gather clusteroperators authentication -o yaml",
            "mom get --must-gather-dir ./must-gather pods -A -l app=oauth-openshift -o name",
        ),
    ),
    "api-resources": CommandHelp(
        "List the resources a must-gather directory serves: name, short names, API version, "
        "whether namespaced, and kind.",
        (
            "mom api-resources --must-gather-dir ./must-gather",
            "mom api-resources --must-gather-dir ./must-gather -o json",
        ),
    ),
    "mutations": CommandHelp(
        "Show and compare recorded mutation directories and apply-configuration outputs.",
        ("mom mutations show out/", "mom mutations diff expected-output/ out/"),
    ),
    "mutations diff": CommandHelp(
        "Compare two apply-configuration outputs (controller results and one mutation directory per "
        "cluster type, events ignored) or two mutation directories; exit 1 when they differ.",
        ("mom mutations diff tests/mirror/expected-output test-output/mirror",),
    ),
    "mutations show": CommandHelp(
        "List the requests recorded in an apply-configuration output or a mutation directory, one "
        "per line with the controller and field manager that made it.",
        ("mom mutations show out/", "mom mutations show out/UserWorkload -o yaml"),
    ),
    "create-input-resources": CommandHelp(
        "Gather the objects an input-resources document declares into an input directory.",
        (
            "mom create-input-resources from-must-gather --must-gather-dir ./must-gather "
            "--input-resources inputs.yaml --output-dir input-dir",
        ),
    ),
    "create-input-resources from-must-gather": CommandHelp(
        "Gather the declared objects from a must-gather directory into a pruned input directory.",
        (
            "mom create-input-resources from-must-gather --must-gather-dir ./must-gather "
            "--input-resources inputs.yaml --output-dir input-dir",
        ),
    ),
    "create-input-resources from-cluster": CommandHelp(
        "Gather the declared objects from a live cluster into an input directory.",
        (
            "mom create-input-resources from-cluster --kubeconfig ~/.kube/config "
            "--input-resources inputs.yaml --output-dir input-dir",
        ),
    ),
    "input-digest": CommandHelp(
        "Print the SHA-256 digest of the objects of an input directory.",
        ("mom input-digest --input-dir input-dir",),
    ),
    "check-input-resources": CommandHelp(
        "Name the objects an operator reads but does not declare.",
        (
            "PYTHONPATH=. mom check-input-resources --python branding_operator:OPERATOR "
            "--must-gather-dir ./must-gather",
            "mom check-input-resources --binary ./branding-operator --must-gather-dir ./must-gather -o json",
        ),
    ),
    "test": CommandHelp(
        "Run golden tests of operators: test.yaml, input-dir/ and expected-output/ per test directory.",
        ("mom test apply-configuration --test-dir tests --output-dir test-output",),
    ),
    "test apply-configuration": CommandHelp(
        "Run each test directory's operator and compare its output with expected-output/.",
        (
            "mom test apply-configuration --test-dir tests --output-dir test-output",
            "mom test apply-configuration --test-dir tests --output-dir test-output --replace-expected-output",
        ),
    ),
    "run": CommandHelp(
        "Run the configured operators on the configured standalone or hosted clusters.",
        (
            "mom run --config mom.yaml --once",
            "mom run --config mom.yaml --interval 60 --metrics-file metrics.prom",
        ),
    ),
    "serve": CommandHelp(
        "Serve a must-gather directory as a kube-API endpoint that kubectl, client-go informers and "
        "Python clients read; their writes are recorded as a mutation directory.",
        (
            "mom serve --must-gather-dir ./must-gather --port 8080",
            "mom serve --must-gather-dir ./must-gather --mutable --output-dir writes --tls",
        ),
    ),
    "journal": CommandHelp(
        "Inspect the runs the manager journaled, replay one, or turn one into a golden test. The "
        "journal is the one the manager configuration names (--config), or --journal.",
        ("mom journal list --config mom.yaml", "mom journal show 3 --config mom.yaml"),
    ),
    "journal list": CommandHelp(
        "List the newest runs: operator, instance, trigger, status, exit code and what became of "
        "their mutations.",
        (
            "mom journal list --config mom.yaml",
            "mom journal list --journal state/journal.sqlite --operator oauth -o json",
        ),
    ),
    "journal show": CommandHelp(
        "Show one run: its controller results, its mutations with their state and reason, and the "
        "tail of its stderr.",
        ("mom journal show 3 --config mom.yaml", "mom journal show 3 --config mom.yaml -o json"),
    ),
    "journal export-test": CommandHelp(
        "Write a stored run as a golden test directory for mom test apply-configuration.",
        ("mom journal export-test 3 --config mom.yaml --output-dir tests/run-3 --binary ./my-operator",),
    ),
    "journal replay": CommandHelp(
        "Run a stored run's operator again on the run's stored inputs, and report how the output "
        "differs from the recorded one (exit 1 when it does).",
        ("mom journal replay 3 --config mom.yaml", "mom journal replay 3 --config mom.yaml --keep replay-3"),
    ),
    "apply": CommandHelp(
        "Apply a recorded mutation directory to a live cluster with the API's own semantics; with "
        "--dry-run the server checks every write and changes nothing.",
        (
            "mom apply --mutations out/UserWorkload --config mom.yaml --dry-run --diff",
            "mom apply --mutations out/UserWorkload --config mom.yaml --operator branding-operator",
            "mom apply --mutations out/ --config mom.yaml --dry-run -o json",
        ),
    ),
    "rbac": CommandHelp(
        "Print least-privilege RBAC for operators, from their registered inputs and outputs.",
        ("mom rbac --config mom.yaml", "mom rbac --config mom.yaml --operator oauth -o json"),
    ),
    "launcher": CommandHelp(
        "Write an executable that runs a Python operator's command line (input-resources, "
        "output-resources, apply-configuration) with the interpreter mom runs under, whatever "
        "python is first on PATH when it is started.",
        ("PYTHONPATH=. mom launcher branding_operator:OPERATOR --output branding-operator",),
    ),
    "envtest": CommandHelp(
        "Start a real kube-apiserver and etcd on loopback, print a kubeconfig for it, and serve "
        "until Ctrl-C. The binaries are built from their Go modules on first use (Go must be "
        "installed) and cached in ~/.cache/mom/kube ($MOM_KUBE_CACHE).",
        (
            "mom envtest --kubeconfig-out envtest.kubeconfig",
            "mom envtest --crds config/crds --kubeconfig-out envtest.kubeconfig",
            "mom envtest --build-only",
        ),
    ),
    "static-pods": CommandHelp(
        "The independent static pod controller: its cluster part (revisions, node-by-node rollout, "
        "status) as an operator for mom run or as a standing loop, and its node part (install, "
        "readiness, fallback) for each control-plane node.",
        ("mom static-pods operator --operand operand.yaml input-resources",),
    ),
    "static-pods operator": CommandHelp(
        "The cluster part as an operator executable: the three commands of the operator contract "
        "for the operand the file describes, for mom run to run like any other operator.",
        (
            "mom static-pods operator --operand operand.yaml input-resources",
            "mom static-pods operator --operand operand.yaml apply-configuration --input-dir in --output-dir out",
        ),
    ),
    "static-pods controller": CommandHelp(
        "The cluster part as a small standing loop against a live cluster: revisions, rollout "
        "order and status, without mom run.",
        ("mom static-pods controller --operand operand.yaml --kubeconfig admin.kubeconfig --once",),
    ),
    "static-pods node": CommandHelp(
        "The node part: install this node's target revision into the node's directories "
        "atomically, check its readiness, fall back to the previous revision after the timeout, "
        "and keep working from the local copy while the API is unreachable.",
        (
            "mom static-pods node --operand operand.yaml --kubeconfig node.kubeconfig --node master-0 "
            "--resources-dir /etc/kubernetes/static-pod-resources --manifests-dir /etc/kubernetes/manifests --once",
        ),
    ),
    "use": CommandHelp(
        "Remember a must-gather (a directory or a .tar, .tar.gz or .tar.xz archive, unpacked safely "
        "into the cache) so that later mom get, mom serve and the OpenShift helpers need no "
        "--must-gather-dir; without an argument, say which one is in use. $MOM_MUST_GATHER "
        "overrides it.",
        ("mom use ./must-gather.tar.xz", "mom use"),
    ),
    "etcd": CommandHelp(
        "etcd members, the leader and endpoint health, from the etcd_info/ files of a must-gather.",
        ("mom etcd --must-gather-dir ./must-gather", "mom etcd -o json"),
    ),
    "alerts": CommandHelp(
        "The alerts that were firing (and, with --pending, pending) when the must-gather was taken, "
        "from its monitoring/ files.",
        ("mom alerts --must-gather-dir ./must-gather", "mom alerts --pending -o json"),
    ),
    "certificates": CommandHelp(
        "TLS certificates in the must-gather's Secrets that expire within a window of when it was "
        "taken (or have expired), soonest first.",
        (
            "mom certificates --must-gather-dir ./must-gather --within 30d",
            "mom certificates --within 12h -o json",
        ),
    ),
    "clusteroperators": CommandHelp(
        "Every ClusterOperator's Available, Progressing and Degraded conditions summarised, those "
        "needing attention first.",
        ("mom clusteroperators --must-gather-dir ./must-gather", "mom clusteroperators -o json"),
    ),
    "deploy": CommandHelp(
        "Print the Kubernetes objects that run mom in one of the strategy's shapes: IndividualMOM "
        "(one manager per operator), UnifiedStandaloneMOM (one for the standalone cluster) or HyperMOM "
        "(replicas sharing the hosted clusters) — Deployment with its Lease settings, ServiceAccount, "
        "RBAC, the configuration as a ConfigMap, probes and a metrics port; with --schedule, a "
        "CronJob running mom run --once instead.",
        (
            "mom deploy --config mom.yaml --shape UnifiedStandaloneMOM --image registry.example/mom:1",
            "mom deploy --config mom.yaml --shape HyperMOM --image registry.example/mom:1 --replicas 3",
            "mom deploy --config mom.yaml --shape UnifiedStandaloneMOM --image registry.example/mom:1 "
            "--schedule '*/10 * * * *'",
        ),
    ),
    "completion": CommandHelp(
        "Print a shell completion script for mom, generated from its command line.",
        (
            "mom completion bash > ~/.local/share/bash-completion/completions/mom",
            'mom completion zsh > "${fpath[1]}/_mom"',
        ),
    ),
}


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse keeps sub-commands only here
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def walk(parser: argparse.ArgumentParser, path: str = "") -> dict[str, argparse.ArgumentParser]:
    """Every command below ``parser``, by its path (``"journal list"``)."""
    found: dict[str, argparse.ArgumentParser] = {}
    for name, child in _subparsers(parser).items():
        child_path = f"{path} {name}".strip()
        found[child_path] = child
        found.update(walk(child, child_path))
    return found


def explain(parser: argparse.ArgumentParser) -> None:
    """Give ``parser`` and each command registered below it a description and examples."""
    for path, command in {"": parser, **walk(parser)}.items():
        text = HELP.get(path)
        if text is None:
            continue
        command.formatter_class = argparse.RawDescriptionHelpFormatter  # keeps the examples' lines
        command.description = textwrap.fill(command.description or text.description, WIDTH)
        command.epilog = "examples:\n" + "".join(f"  $ {example}\n" for example in text.examples)
