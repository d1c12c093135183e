"""`mom etcd`, `mom alerts`, `mom certificates`, `mom clusteroperators`: a must-gather's first answers.

Each reads the must-gather of ``--must-gather-dir`` (or ``$MOM_MUST_GATHER``, or ``mom use``),
calls one function of :mod:`mom.diagnostics` and prints a table, or with ``-o json`` the rows.
Times are shown as ages at the moment the must-gather was taken.
"""

from __future__ import annotations

import argparse
import re
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from mom.api.errors import InvalidInput
from mom.cli.snapshot import print_table
from mom.cli.source import add_source_option, open_must_gather
from mom.mustgather.store import Snapshot
from mom.serialization import dump_json

_WINDOW_RE = re.compile(r"^(\d+)([dhm])$")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}
Row = dict[str, Any]


def register(commands: Any) -> None:
    """Add the four commands."""
    etcd = commands.add_parser("etcd", help="etcd members, leader and health from a must-gather")
    alerts = commands.add_parser("alerts", help="alerts firing when a must-gather was taken")
    alerts.add_argument("--pending", action="store_true", help="pending alerts too")
    certificates = commands.add_parser("certificates", help="TLS secrets expiring within a window")
    certificates.add_argument(
        "--within", default="30d", metavar="DURATION", help="e.g. 30d, 12h, 90m (default: %(default)s)"
    )
    operators = commands.add_parser("clusteroperators", help="ClusterOperator conditions summarised")
    for parser, handler in (
        (etcd, run_etcd),
        (alerts, run_alerts),
        (certificates, run_certificates),
        (operators, run_operators),
    ):
        add_source_option(parser)
        parser.add_argument(
            "--no-cache", action="store_true", help="do not read or write the parsed-tree cache"
        )
        parser.add_argument(
            "-o", "--output", choices=("table", "json"), default="table", help="output format"
        )
        parser.set_defaults(handler=handler)


def _open(args: argparse.Namespace) -> tuple[Snapshot, datetime]:
    from mom.mustgather.gathered import gathered_at

    snapshot = open_must_gather(args.must_gather_dir, use_cache=not args.no_cache)
    return snapshot, gathered_at(snapshot) or datetime.now(UTC)


def _root(snapshot: Snapshot) -> Any:
    if snapshot.root is None:
        raise InvalidInput("--must-gather-dir", ["not a must-gather directory"])
    return snapshot.root


def _ago(value: Any, now: datetime) -> str:
    from mom.server.columns import age

    return age(value, now)


def _emit(args: argparse.Namespace, rows: list[Row], header: list[str], cells: list[list[str]]) -> int:
    if args.output == "json":
        sys.stdout.write(dump_json(rows, indent=True).decode() + "\n")
    elif rows:
        print_table(header, cells)
    else:
        print("nothing to show", file=sys.stderr)
    return 0


def _size(value: Any) -> str:
    return f"{value / 1024**2:.0f} MB" if isinstance(value, int) else ""


def run_etcd(args: argparse.Namespace) -> int:
    from mom.diagnostics.etcd import etcd_alarms, etcd_members

    snapshot, _ = _open(args)
    rows = etcd_members(_root(snapshot))
    alarms = etcd_alarms(_root(snapshot))
    if args.output == "json":
        return _emit(args, [{"members": rows, "alarms": alarms}], [], [])
    header = ["NAME", "ID", "ENDPOINT", "HEALTHY", "LEADER", "VERSION", "DB SIZE", "IN USE", "RAFT INDEX"]
    cells = [
        [
            str(r["name"]),
            str(r["id"]),
            str(r["endpoint"]),
            {True: "true", False: f"false: {r['error']}", None: "unknown"}[r["healthy"]],
            "*" if r["leader"] else "",
            str(r["version"]),
            _size(r["dbSize"]),
            _size(r["dbSizeInUse"]),
            str(r["raftIndex"] or ""),
        ]
        for r in rows
    ]
    _emit(args, rows, header, cells)
    print(f"alarms: {', '.join(str(a.get('alarm')) for a in alarms) if alarms else 'none'}")
    return 0


def run_alerts(args: argparse.Namespace) -> int:
    from mom.diagnostics.alerts import firing_alerts

    snapshot, now = _open(args)
    rows = firing_alerts(_root(snapshot), pending=args.pending)
    header = ["NAME", "STATE", "SEVERITY", "NAMESPACE", "ACTIVE FOR", "SUMMARY"]
    cells = [
        [
            str(r["name"]),
            str(r["state"]),
            str(r["severity"]),
            str(r["namespace"]) or "-",
            _ago(r["activeAt"], now),
            str(r["summary"])[:100],
        ]
        for r in rows
    ]
    return _emit(args, rows, header, cells)


def _window(text: str) -> timedelta:
    match = _WINDOW_RE.match(text)
    if match is None:
        raise InvalidInput("--within", [f"invalid value {text!r}: expected a number and d, h or m (30d)"])
    return timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})


def run_certificates(args: argparse.Namespace) -> int:
    from mom.diagnostics.certificates import expiring_certificates

    within = _window(args.within)
    snapshot, now = _open(args)
    rows = expiring_certificates(snapshot, now, within)
    header = ["NAMESPACE", "SECRET", "KEY", "SUBJECT", "NOT AFTER", "EXPIRES"]
    cells = []
    for r in rows:
        seconds = r["expiresInSeconds"]
        if seconds is None:
            expires = "unreadable"
        elif seconds < 0:
            expires = f"expired {_ago(r['notAfter'], now)} ago"
        else:
            expires = f"in {_ago(now.isoformat(), now + timedelta(seconds=seconds))}"
        cells.append(
            [
                str(r["namespace"]),
                str(r["name"]),
                str(r["key"]),
                str(r["subject"]),
                str(r["notAfter"]),
                expires,
            ]
        )
    return _emit(args, rows, header, cells)


def run_operators(args: argparse.Namespace) -> int:
    from mom.diagnostics.operators import operator_summary

    snapshot, now = _open(args)
    rows = operator_summary(snapshot)
    header = ["NAME", "VERSION", "AVAILABLE", "PROGRESSING", "DEGRADED", "SINCE", "PROBLEM"]
    cells = [
        [
            str(r["name"]),
            str(r["version"]),
            str(r["available"]),
            str(r["progressing"]),
            str(r["degraded"]),
            _ago(r["since"], now),
            str(r["problem"])[:100],
        ]
        for r in rows
    ]
    return _emit(args, rows, header, cells)
