"""The journal after a simulated month: its size with and without retention, and what compaction costs.

Run: ``python -m benchmarks journal [--pairs N] [--days D] [--runs-per-day R] [--inputs-kib K]
[--quick]``. Two journals live through the same month, tick by tick, as the manager writes
them: every tick begins a run for each operator/instance pair, finishes it with its planned
mutations and marks them applied (the batches of :meth:`mom.manager.loop.Manager.tick`); a
few runs fail and a few have a mutation refused. One journal keeps everything; the other is
compacted after every tick with the default :class:`~mom.journal.retention.RetentionPolicy`,
as roll-forward does. Printed side by side: runs kept, file size (main file plus its SQLite
write-ahead log), the ratio, and the time compaction adds per tick.
"""

from __future__ import annotations

import argparse
import hashlib
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from mom.api.cluster import Action
from mom.api.resources import GroupVersionKind, GroupVersionResource
from mom.journal.journal import Journal
from mom.journal.records import MutationState, PlannedMutation
from mom.journal.retention import RetentionPolicy
from mom.mutationdir.requests import MutationRequest

START = datetime(2026, 1, 1, tzinfo=UTC)
FAILED_EVERY = 97
"""One run in this many fails (a prime, so failures move across pairs)."""
REFUSED_EVERY = 211
"""One run in this many has a mutation refused."""
MUTATIONS_PER_RUN = 2
CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")


@dataclass
class Month:
    journal: Path
    runs_kept: int = 0
    compaction_seconds: float = 0.0
    ticks: int = 0
    write_seconds: float = 0.0
    size: int = 0
    """Bytes on disk once closed: the main file and whatever SQLite left beside it."""


def _inputs(pair: int, tick: int, size: int) -> bytes:
    """Incompressible stand-in for a packed input directory (SQLite stores blobs as they are)."""
    seed = hashlib.sha256(f"{pair}/{tick}".encode()).digest()
    return (seed * (size // len(seed) + 1))[:size]


def _mutation(pair: int, index: int, refused: bool) -> PlannedMutation:
    body = (
        f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-{pair}-{index}\n  namespace: ns-{pair}\n"
        f"data:\n  value: '{'x' * 600}'\n"
    ).encode()
    request = MutationRequest(
        action=Action.APPLY,
        gvr=CONFIGMAPS,
        namespace=f"ns-{pair}",
        name=f"cm-{pair}-{index}",
        generate_name="",
        kind=GroupVersionKind("", "v1", "ConfigMap"),
        body=body,
        field_manager=f"operator-{pair}",
    )
    state = MutationState.REFUSED if refused else MutationState.PENDING
    return PlannedMutation("", "UserWorkload", "cluster", request, state, "not declared" if refused else "")


def live_a_month(
    path: Path, *, pairs: int, days: int, runs_per_day: int, inputs_bytes: int, policy: RetentionPolicy | None
) -> Month:
    month = Month(path)
    interval = timedelta(seconds=86400 / runs_per_day)
    serial = 0
    with Journal(path) as journal:
        for tick in range(days * runs_per_day):
            now = START + tick * interval
            started = time.perf_counter()
            with journal.batch():
                begun = []
                for pair in range(pairs):
                    begun.append(
                        journal.begin_run(
                            operator=f"operator-{pair % 17}",
                            instance=f"instance-{pair // 17}",
                            trigger="resync",
                            input_digest=f"{pair}/{tick}",
                            inputs=_inputs(pair, tick, inputs_bytes),
                            started_at=now,
                            now=now,
                            seed=None,
                            outputs_digest="pinned",
                        )
                    )
            ids: list[str] = []
            with journal.batch():
                for pair, run_id in enumerate(begun):
                    serial += 1
                    failed = serial % FAILED_EVERY == 0
                    refused = serial % REFUSED_EVERY == 0
                    planned = [_mutation(pair, i, refused and i == 0) for i in range(MUTATIONS_PER_RUN)]
                    stored = journal.finish_run(
                        run_id,
                        finished_at=now,
                        exit_code=1 if failed else 0,
                        results=None,
                        mutations=planned,
                        error="controller failed" if failed else "",
                    )
                    ids += [
                        i for i, m in zip(stored, planned, strict=True) if m.state is MutationState.PENDING
                    ]
            with journal.batch():
                for mutation_id in ids:
                    journal.mark_mutation(mutation_id, MutationState.APPLIED, "Applied", applied_at=now)
            month.write_seconds += time.perf_counter() - started
            if policy is not None:
                started = time.perf_counter()
                journal.compact(policy, now)
                month.compaction_seconds += time.perf_counter() - started
            month.ticks += 1
        month.runs_kept = len(journal.runs(limit=10**9))
    month.size = sum(
        p.stat().st_size for p in path.parent.glob(f"{path.name}*") if not p.name.endswith(".lock")
    )
    return month


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks journal", description=__doc__)
    parser.add_argument("--pairs", type=int, default=17, help="operator/instance pairs (default 17)")
    parser.add_argument("--days", type=int, default=30, help="simulated days (default 30)")
    parser.add_argument("--runs-per-day", type=int, default=24, help="runs per pair per day (default 24)")
    parser.add_argument("--inputs-kib", type=int, default=8, help="stored inputs per run, KiB (default 8)")
    parser.add_argument("--quick", action="store_true", help="5 pairs, 10 days: a few seconds")
    args = parser.parse_args(argv)
    if args.quick:
        args.pairs, args.days = 5, 10
    policy = RetentionPolicy()
    shape: dict[str, int] = dict(
        pairs=args.pairs, days=args.days, runs_per_day=args.runs_per_day, inputs_bytes=args.inputs_kib * 1024
    )
    print(
        f"journal: {args.pairs} pairs x {args.days} days x {args.runs_per_day} runs/day, "
        f"{args.inputs_kib} KiB inputs and {MUTATIONS_PER_RUN} mutations per run; retention: "
        f"{policy.runs_per_pair} runs per pair + failed/refused runs of the last {policy.problems_for.days} days"
    )
    with tempfile.TemporaryDirectory(prefix="mom-bench-journal-") as scratch:
        kept_all = live_a_month(Path(scratch) / "everything.sqlite", policy=None, **shape)
        bounded = live_a_month(Path(scratch) / "retention.sqlite", policy=policy, **shape)
    total = args.pairs * args.days * args.runs_per_day
    print(f"{'':24}{'keep everything':>18}{'retention':>18}{'ratio':>10}")
    print(f"{'runs written':24}{total:>18,}{total:>18,}")
    print(
        f"{'runs kept':24}{kept_all.runs_kept:>18,}{bounded.runs_kept:>18,}"
        f"{kept_all.runs_kept / max(bounded.runs_kept, 1):>9.1f}x"
    )
    print(
        f"{'journal size':24}{_mib(kept_all.size):>18}{_mib(bounded.size):>18}"
        f"{kept_all.size / max(bounded.size, 1):>9.1f}x"
    )
    per_tick = bounded.compaction_seconds / max(bounded.ticks, 1) * 1000
    writes = bounded.write_seconds / max(bounded.ticks, 1) * 1000
    print(
        f"{'journal writes per tick':24}{kept_all.write_seconds / max(kept_all.ticks, 1) * 1000:>15.1f} ms"
        f"{writes:>15.1f} ms"
    )
    print(
        f"{'compaction per tick':24}{'-':>18}{per_tick:>15.1f} ms{per_tick / max(writes, 1e-9):>9.2f}x of writes"
    )
