"""``mom apply``: apply a mutation directory to a configured live cluster.

``mom apply --mutations DIR --config FILE [--cluster NAME] [--dry-run] [--diff]`` reads an
apply-configuration output (its Configuration, Management and UserWorkload mutation
directories; Unspecified is skipped: no declared output allows those) or a plain mutation
directory and applies every request, in order, to the named cluster of the manager
configuration (default: its only cluster), which must be a live cluster (``kubeconfig``).
A cluster configured to impersonate takes the writes as the service account of the operator
named with ``--operator`` (required there), so the server refuses what that operator's RBAC
does not allow, as it does under ``mom run``.
``--dry-run`` sends each write with server-side dry-run: the server validates and answers,
nothing changes. ``--diff`` prints, per mutation, a unified diff of the live object before and
after (the server's dry-run answer) as YAML, before anything changes. One line per mutation
with its outcome (``-o json|yaml``: one document with every outcome, and the diffs); exit 1
when any mutation fails.
"""

from __future__ import annotations

import argparse
import difflib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mom.api.cluster import UNSPECIFIED_DIR
from mom.api.errors import InvalidInput
from mom.apply.rbac import ServiceAccountRef
from mom.apply.semantics import object_name
from mom.apply.target import ApplyResult, Outcome
from mom.live.target import LiveTarget
from mom.live.transport import LiveTransport
from mom.manager.config import load_config
from mom.manager.specs import ClusterSpec, ManagerConfig
from mom.mutationdir.directory import read_mutation_dir
from mom.mutationdir.output import CLUSTER_TYPE_DIRS, read_mutation_dirs
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_go_yaml, dump_json


def register(commands: Any) -> None:
    """Add ``mom apply``."""
    parser = commands.add_parser("apply", help="apply a mutation directory to a live cluster")
    parser.add_argument("--mutations", type=Path, required=True, metavar="DIR", help="mutation directory")
    parser.add_argument("--config", type=Path, required=True, metavar="FILE", help="manager configuration")
    parser.add_argument(
        "--cluster", default="", metavar="NAME", help="cluster to apply to (default: the only one)"
    )
    parser.add_argument(
        "--operator",
        default="",
        metavar="NAME",
        help="the operator that produced the mutations (writes are made as its service account "
        "where the cluster impersonates)",
    )
    parser.add_argument("--dry-run", action="store_true", help="server-side dry-run: change nothing")
    parser.add_argument("--diff", action="store_true", help="print each object's diff before applying")
    parser.add_argument(
        "-o", "--output", choices=("text", "json", "yaml"), default="text", help="report format"
    )
    parser.set_defaults(handler=run)


def _clock() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def choose_cluster(config: ManagerConfig, name: str) -> ClusterSpec:
    """The named cluster, or the only one; it must be a live cluster."""
    names = [c.name for c in config.clusters]
    if name and name not in names:
        raise InvalidInput("--cluster", [f"Not found: {name!r}: clusters are {', '.join(names)}"])
    if not name and len(names) != 1:
        raise InvalidInput("--cluster", [f"Required value: the configuration has {len(names)} clusters"])
    cluster = config.cluster(name or names[0])
    if cluster.kubeconfig is None:
        raise InvalidInput(
            f"clusters[{names.index(cluster.name)}]", ["Invalid value: not a live cluster (no kubeconfig)"]
        )
    return cluster


def writer_of(config: ManagerConfig, cluster: ClusterSpec, operator: str) -> ServiceAccountRef | None:
    """Whom the writes are made as: ``operator``'s service account where ``cluster`` impersonates."""
    names = [o.name for o in config.operators]
    if operator and operator not in names:
        raise InvalidInput("--operator", [f"Not found: {operator!r}: operators are {', '.join(names)}"])
    if cluster.impersonate and not operator:
        raise InvalidInput(
            "--operator",
            [f"Required value: cluster {cluster.name} impersonates; name the operator whose account writes"],
        )
    if operator and not cluster.impersonate:
        raise InvalidInput(
            "--operator",
            [f"Invalid value: cluster {cluster.name} does not impersonate (set impersonate: true)"],
        )
    return cluster.writer(operator) if operator else None


def mutations_of(root: Path) -> list[tuple[str, MutationRequest]]:
    """(mutation id, request) for every request under ``root``; ids name the place in the directory."""
    if not root.is_dir():
        raise InvalidInput(str(root), ["Not found: not a directory"])
    parts = [name for name in CLUSTER_TYPE_DIRS if (root / name).is_dir()]
    by_part = (
        read_mutation_dirs(root, parts)
        if parts or (root / UNSPECIFIED_DIR).is_dir()
        else {"": read_mutation_dir(root)}
    )
    found: list[tuple[str, MutationRequest]] = []
    for part, requests in by_part.items():
        for index, request in enumerate(requests):
            found.append((f"apply:{part}#{index}:{request.identity}", request))
    return found


def _shown(obj: dict[str, Any] | None) -> list[str]:
    if obj is None:
        return []
    metadata = {
        k: v for k, v in (obj.get("metadata") or {}).items() if k not in ("managedFields", "resourceVersion")
    }
    return dump_go_yaml({**obj, "metadata": metadata}).splitlines(keepends=True)


def diff_of(target: LiveTarget, mutation_id: str, request: MutationRequest) -> tuple[str, ApplyResult]:
    """The unified diff of the live object before and after ``request`` (server-side dry-run)."""
    name = object_name(request, request.body_document(), mutation_id)
    before = target.current(request.gvr, namespace=request.namespace, name=name)
    preview = target.apply(mutation_id, request, dry_run=True)
    after = None if preview.outcome is Outcome.DELETED else (preview.object or before)
    place = f"{request.namespace}/{name}" if request.namespace else name
    what = f"{request.gvr.group_resource}/{place}"
    lines = difflib.unified_diff(_shown(before), _shown(after), f"live/{what}", f"after/{what}")
    return "".join(lines), preview


def run(args: argparse.Namespace) -> int:
    config = load_config(args.config)
    cluster = choose_cluster(config, args.cluster)
    account = writer_of(config, cluster, args.operator)
    mutations = mutations_of(args.mutations)
    assert cluster.kubeconfig is not None
    transport = LiveTransport(cluster.kubeconfig, cluster.context or None)
    target = LiveTarget(cluster.name, transport, clock=_clock)
    if account is not None:
        target = target.acting_as(account)
    failed = 0
    reports: list[dict[str, Any]] = []
    try:
        for mutation_id, request in mutations:
            result: ApplyResult | None = None
            diff = ""
            if args.diff:
                diff, result = diff_of(target, mutation_id, request)
                if args.output == "text":
                    print(diff, end="" if not diff or diff.endswith("\n") else "\n")
            if not args.dry_run or result is None:
                result = target.apply(mutation_id, request, dry_run=args.dry_run)
            failed += 0 if result.ok else 1
            message = f": {result.message}" if result.message else ""
            suffix = " (dry run)" if args.dry_run else ""
            if args.output == "text":
                print(f"{result.outcome.value}{suffix} {request.identity}{message}")
            report = {"request": request.identity, "outcome": result.outcome.value, "message": result.message}
            reports.append({**report, "diff": diff} if args.diff else report)
    finally:
        transport.close()
    total = len(mutations)
    if args.output != "text":
        document = {
            "cluster": cluster.name,
            "user": account.username if account is not None else "",
            "dryRun": args.dry_run,
            "applied": total - failed,
            "total": total,
            "mutations": reports,
        }
        text = (
            dump_go_yaml(document)
            if args.output == "yaml"
            else dump_json(document, indent=True).decode() + "\n"
        )
        print(text, end="")
        return 1 if failed else 0
    who = f" as {account.username}" if account is not None else ""
    print(
        f"{total - failed}/{total} mutation(s) applied to {cluster.name}{who}"
        f"{' (dry run)' if args.dry_run else ''}"
    )
    return 1 if failed else 0
