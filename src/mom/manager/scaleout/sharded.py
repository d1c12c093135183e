"""A replica of a ring: the manager of whatever hosted clusters the ring gives this replica.

Before every tick the replica looks at the ring (:meth:`ShardMember.sync`). When its share
changed, the manager is rebuilt for the new share — targets, and so watches, for those hosted
clusters' clusters only — after the journal gave up what it still had pending for the hosted
clusters that left (their new owner starts from the clusters' state), and the first tick runs
every operator of the share. After a tick, each hosted cluster's cost (the tick's time, shared
by the runs it had) is published as its weight on the ring.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from mom.manager.assembly import Writer, open_manager
from mom.manager.execution import Progress
from mom.manager.loop import Manager
from mom.manager.report import TickReport
from mom.manager.scaleout.election import give_up, user_agent
from mom.manager.scaleout.hosted import for_instances
from mom.manager.scaleout.sharding import ShardMember
from mom.manager.specs import ManagerConfig


class ShardedManager:
    def __init__(
        self,
        config: ManagerConfig,
        member: ShardMember,
        *,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float],
        repin: bool = False,
        progress: Progress | None = None,
    ) -> None:
        self.config, self.member = config, member
        self._clock, self._monotonic = clock, monotonic
        self._repin, self._progress = repin, progress
        self._writer = Writer(user_agent(member.identity), member.elector.check_fence)
        self.manager: Manager | None = None
        self.notices: list[str] = []
        self._costs: dict[str, float] = {}

    def tick(self) -> TickReport:
        moves = self.member.sync()
        force = False
        if moves.changed or self.manager is None:
            self._close_manager(moves.released)
            narrowed = for_instances(self.config, self.member.owned)
            self.manager, notices = open_manager(
                narrowed, clock=self._clock, repin=self._repin, progress=self._progress, writer=self._writer
            )
            self.notices += notices
            force = True
        started = self._monotonic()
        report = self.manager.tick(force=force)
        self._measure(report, self._monotonic() - started)
        return report

    def _measure(self, report: TickReport, seconds: float) -> None:
        runs: dict[str, int] = {}
        for pair in report.pairs:
            if pair.ran:
                runs[pair.instance] = runs.get(pair.instance, 0) + 1
        total = sum(runs.values())
        for instance, count in runs.items():
            share = seconds * count / total
            before = self._costs.get(instance)
            self._costs[instance] = share if before is None else (before + share) / 2
        self.member.publish_costs({i: c for i, c in self._costs.items() if i in self.member.owned})

    def _close_manager(self, released: tuple[str, ...]) -> None:
        if self.manager is None:
            return
        for target in self.manager.targets.values():
            close = getattr(target, "close", None)
            if callable(close):
                close()
        if released:
            reason = "this hosted cluster moved to another replica of the ring"
            give_up(self.manager.journal, at=self._clock(), reason=reason, instances=set(released))
        self.manager.journal.close()
        self.manager = None

    def close(self) -> None:
        """Hand the share back (a clean shutdown) and close the manager."""
        self._close_manager(tuple(self.member.owned))
        self.member.leave()
