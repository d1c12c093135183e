"""Prometheus text exposition of what the manager did (counters accumulate across ticks)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from mom.api.values import Value
from mom.manager.report import TickReport
from mom.manager.schedule import Trigger


class Metrics(Value):
    runs: Counter[tuple[str, str, str]]
    mutations: Counter[tuple[str, str]]
    skipped: Counter[tuple[str, str]]
    deferred: Counter[tuple[str, str]]
    ticks: int
    tick_seconds: float
    warnings: int

    __slots__ = ("deferred", "mutations", "runs", "skipped", "tick_seconds", "ticks", "warnings")

    def __init__(
        self,
        runs: Counter[tuple[str, str, str]] | None = None,
        mutations: Counter[tuple[str, str]] | None = None,
        skipped: Counter[tuple[str, str]] | None = None,
        deferred: Counter[tuple[str, str]] | None = None,
        ticks: int = 0,
        tick_seconds: float = 0.0,
        warnings: int = 0,
    ) -> None:
        self.runs = Counter() if runs is None else runs
        self.mutations = Counter() if mutations is None else mutations
        self.skipped = Counter() if skipped is None else skipped
        self.deferred = Counter() if deferred is None else deferred
        self.ticks = ticks
        self.tick_seconds = tick_seconds
        self.warnings = warnings

    def observe(self, report: TickReport, seconds: float) -> None:
        self.ticks += 1
        self.tick_seconds += seconds
        self.warnings += len(report.warnings)
        for pair in report.pairs:
            if pair.trigger is Trigger.DEFERRED:
                self.deferred[(pair.operator, pair.instance)] += 1
                continue
            if not pair.ran:
                self.skipped[(pair.operator, pair.instance)] += 1
                continue
            status = "succeeded" if pair.exit_code == 0 and not pair.error else "failed"
            self.runs[(pair.operator, pair.instance, status)] += 1
            for state, count in (
                ("applied", pair.applied),
                ("unchanged", pair.unchanged),
                ("refused", pair.refused),
                ("failed", pair.failed),
            ):
                self.mutations[(pair.operator, state)] += count

    def render(self) -> str:
        lines = _counter(
            "mom_operator_runs_total",
            "Operator runs by operator, instance and result.",
            {(("operator", o), ("instance", i), ("status", s)): n for (o, i, s), n in self.runs.items()},
        )
        lines += _counter(
            "mom_operator_runs_skipped_total",
            "Ticks in which a pair did not run (inputs unchanged).",
            {(("operator", o), ("instance", i)): n for (o, i), n in self.skipped.items()},
        )
        lines += _counter(
            "mom_operator_runs_deferred_total",
            "Ticks in which a pair had a reason to run but waited for its debounce window or failure backoff.",
            {(("operator", o), ("instance", i)): n for (o, i), n in self.deferred.items()},
        )
        lines += _counter(
            "mom_mutations_total",
            "Mutations by operator and what became of them.",
            {(("operator", o), ("state", s)): n for (o, s), n in self.mutations.items()},
        )
        lines += [
            "# HELP mom_ticks_total Manager ticks.",
            "# TYPE mom_ticks_total counter",
            f"mom_ticks_total {self.ticks}",
            "# HELP mom_tick_seconds_total Time spent in ticks.",
            "# TYPE mom_tick_seconds_total counter",
            f"mom_tick_seconds_total {self.tick_seconds:.6f}",
            "# HELP mom_warnings_total Fights and non-converging operators detected.",
            "# TYPE mom_warnings_total counter",
            f"mom_warnings_total {self.warnings}",
        ]
        return "\n".join(lines) + "\n"


def _counter(name: str, help_text: str, samples: Mapping[tuple[tuple[str, str], ...], int]) -> list[str]:
    """One counter's HELP and TYPE lines and its samples, in label order."""
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} counter"]
    for labels, count in sorted(samples.items()):
        rendered = ",".join(f'{key}="{value}"' for key, value in labels)
        lines.append(f"{name}{{{rendered}}} {count}")
    return lines
