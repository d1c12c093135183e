"""``mom journal``: look at stored runs and turn one into a golden test.

``mom journal replay RUN --config FILE`` re-runs the run's operator on its stored inputs and
reports how the output differs from the recorded one.
``mom journal list`` prints the newest runs (a table, or ``-o json``); ``mom journal show RUN``
prints one run with the declared inputs that changed since the pair's previous run (added,
removed, changed; absent when not known), its controller results, its mutations (state and reason) and the tail of
its stderr (``-o yaml`` or ``-o json``); ``mom journal export-test RUN --output-dir DIR
--binary NAME`` writes the run as a test directory for ``mom test apply-configuration``.
The journal is ``--journal``, or the one ``--config FILE`` names, else ``$MOM_JOURNAL``, else
``./mom-journal.sqlite``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from mom.api.timestamps import rfc3339
from mom.journal import Journal, PlannedMutation, RunRecord, RunSummary, export_test
from mom.journal.records import InputChange, MutationState
from mom.mutationdir.equivalence import render_differences
from mom.serialization import dump_go_yaml, dump_json

JOURNAL_ENV = "MOM_JOURNAL"
DEFAULT_JOURNAL = "mom-journal.sqlite"
STDERR_TAIL_LINES = 40


def register(commands: Any) -> None:
    """Add ``mom journal list|show|export-test``."""
    parser = commands.add_parser("journal", help="inspect stored operator runs")
    sub = parser.add_subparsers(dest="journal_command", metavar="SUBCOMMAND")
    sub.required = True

    listing = sub.add_parser("list", help="list the newest runs")
    _journal_flag(listing)
    listing.add_argument("--operator", help="only runs of this operator")
    listing.add_argument("--instance", help="only runs of this instance")
    listing.add_argument("--limit", type=int, default=50, help="at most this many runs (default 50)")
    listing.add_argument("-o", "--output", choices=["table", "yaml", "json"], default="table")
    listing.set_defaults(handler=run_list)

    show = sub.add_parser("show", help="show one run: results, mutations, stderr tail")
    _journal_flag(show)
    show.add_argument("run_id", type=int, metavar="RUN_ID")
    show.add_argument("-o", "--output", choices=["yaml", "json"], default="yaml")
    show.set_defaults(handler=run_show)

    export = sub.add_parser("export-test", help="write a run as a golden test directory")
    _journal_flag(export)
    export.add_argument("run_id", type=int, metavar="RUN_ID")
    export.add_argument("--output-dir", required=True, type=Path, help="new (or empty) test directory")
    export.add_argument("--binary", required=True, help="binaryName of the test: the operator executable")
    export.add_argument("--test-name", help="testName (default: '<operator> on <instance> run <id>')")
    export.set_defaults(handler=run_export_test)

    replay = sub.add_parser(
        "replay", help="re-run a stored run's operator on its stored inputs and compare the outputs"
    )
    replay.add_argument("run_id", type=int, metavar="RUN_ID")
    replay.add_argument(
        "--config", required=True, type=Path, help="manager configuration naming the operator"
    )
    replay.add_argument("--keep", type=Path, help="keep the inputs and both outputs in this directory")
    replay.set_defaults(handler=run_replay)


def _journal_flag(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--journal",
        type=Path,
        help=f"journal database (default: ${JOURNAL_ENV}, else ./{DEFAULT_JOURNAL})",
    )
    where.add_argument(
        "--config", type=Path, metavar="FILE", help="the journal this manager configuration names"
    )


def _open(args: argparse.Namespace) -> Journal:
    if args.config is not None:
        from mom.manager.config import load_config  # only --config needs the manager

        return Journal(load_config(args.config).journal, create=False)
    path = args.journal or Path(os.environ.get(JOURNAL_ENV) or DEFAULT_JOURNAL)
    return Journal(path, create=False)


def _time(moment: Any) -> str | None:
    return None if moment is None else rfc3339(moment, fractions=True)


def _summary_wire(summary: RunSummary) -> dict[str, Any]:
    return {
        "runID": summary.run_id,
        "operator": summary.operator,
        "instance": summary.instance,
        "trigger": summary.trigger,
        "inputDigest": summary.input_digest,
        "startedAt": _time(summary.started_at),
        "finishedAt": _time(summary.finished_at),
        "exitCode": summary.exit_code,
        "status": summary.status.value,
        "mutationCounts": {state.value: summary.count(state) for state in MutationState},
    }


def _mutation_wire(mutation: PlannedMutation) -> dict[str, Any]:
    wire: dict[str, Any] = {
        "id": mutation.mutation_id,
        "request": mutation.request.identity,
        "clusterType": mutation.cluster_type,
        "target": mutation.target,
        "state": mutation.state.value,
    }
    if mutation.reason:
        wire["reason"] = mutation.reason
    if mutation.applied_at is not None:
        wire["appliedAt"] = rfc3339(mutation.applied_at, fractions=True)
    return wire


def _change_wire(change: InputChange) -> dict[str, Any]:
    wire: dict[str, Any] = {"change": change.change.value, "resource": change.group_resource}
    if change.namespace:
        wire["namespace"] = change.namespace
    wire["name"] = change.name
    if change.fields:
        wire["fields"] = list(change.fields)
    if change.managers:
        wire["fieldManagers"] = list(change.managers)
    if change.writers:
        wire["writers"] = list(change.writers)
    return wire


def _record_wire(record: RunRecord, mutations: list[PlannedMutation]) -> dict[str, Any]:
    wire = _summary_wire(record.summary)
    if record.input_changes is not None:
        wire["inputChanges"] = [_change_wire(c) for c in record.input_changes]
    wire.update(
        {
            "now": rfc3339(record.now, fractions=True),
            "seed": record.seed,
            "outputsDigest": record.outputs_digest,
            "error": record.error,
            "controllerResults": None if record.results is None else record.results.to_wire(),
            "mutations": [_mutation_wire(m) for m in mutations],
            "stderrTail": record.stderr.splitlines()[-STDERR_TAIL_LINES:],
        }
    )
    return wire


def _table(summaries: list[RunSummary]) -> str:
    header = (
        "RUN",
        "OPERATOR",
        "INSTANCE",
        "TRIGGER",
        "STATUS",
        "EXIT",
        "STARTED",
        "PEND/APPL/REF/FAIL/SKIP",
    )
    lines = [header]
    for s in summaries:
        counts = "/".join(str(s.count(state)) for state in MutationState)
        exit_code = "" if s.exit_code is None else str(s.exit_code)
        lines.append(
            (str(s.run_id), s.operator, s.instance, s.trigger, s.status.value, exit_code,
             rfc3339(s.started_at, fractions=True), counts)
        )  # fmt: skip
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "".join(
        "  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() + "\n" for line in lines
    )


def run_list(args: argparse.Namespace) -> int:
    with _open(args) as journal:
        summaries = journal.runs(operator=args.operator, instance=args.instance, limit=args.limit)
    if args.output == "json":
        sys.stdout.write(dump_json([_summary_wire(s) for s in summaries], indent=True).decode() + "\n")
    elif args.output == "yaml":
        sys.stdout.write(dump_go_yaml([_summary_wire(s) for s in summaries]))
    else:
        sys.stdout.write(_table(summaries))
    return 0


def run_show(args: argparse.Namespace) -> int:
    with _open(args) as journal:
        wire = _record_wire(journal.run(args.run_id), journal.mutations_of(args.run_id))
    if args.output == "json":
        sys.stdout.write(dump_json(wire, indent=True).decode() + "\n")
    else:
        sys.stdout.write(dump_go_yaml(wire))
    return 0


def run_export_test(args: argparse.Namespace) -> int:
    with _open(args) as journal:
        directory = export_test(
            journal, args.run_id, args.output_dir, binary_name=args.binary, test_name=args.test_name
        )
    print(f"wrote test directory {directory}", file=sys.stderr)
    return 0


def run_replay(args: argparse.Namespace) -> int:
    from mom.manager.assembly import build_runners, pin_operators  # only replay needs the manager
    from mom.manager.config import load_config
    from mom.manager.replay import replay_run

    config = load_config(args.config)
    runners = build_runners(config)
    pins, _notices = pin_operators(config, runners, record=False)
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="mom-replay-"))
    try:
        with Journal(config.journal, create=False) as journal:
            replay = replay_run(config, journal, runners, pins, args.run_id, workdir)
        if replay.differences:
            print(render_differences(replay.differences), file=sys.stderr)
            print(f"run {args.run_id} replayed with {len(replay.differences)} difference(s)")
            return 1
        print(f"run {args.run_id} replayed: same output (exit code {replay.exit_code})")
        return 0
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)
