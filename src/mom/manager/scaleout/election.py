"""Leader election over a Lease, and the fence on every write of the leader.

A standby tries to take the Lease every ``retryPeriod``. It judges the holder's Lease expired by
its own clock: ``leaseDuration`` after it last *saw the Lease change*, never by the timestamps in
the object (replicas' clocks may disagree). Every acquisition and renewal is an update guarded by
the resourceVersion read just before, so of two replicas racing for one Lease one wins.

The fence: the leader may write until ``renewDeadline`` after it *sent* its last successful
renewal (:meth:`LeaderElector.write_budget`). A standby cannot take over before ``leaseDuration``
after it saw that renewal, which happened after it was sent; so the old leader's last write starts
at least ``leaseDuration - renewDeadline`` before the new leader's first. Both sides measure with
a monotonic clock, which keeps counting while a process is paused: a leader stopped (SIGSTOP)
past its deadline finds its budget spent when it resumes and writes nothing.

Not covered (docs/scale-out.md, "Limits"): a process paused between the last check and the
socket write sends that one request when it resumes; the server has no fencing token to refuse it by.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Set
from datetime import datetime
from pathlib import Path

from mom.api.errors import Conflict, Fenced, MomError
from mom.client.client import Client
from mom.journal.journal import Journal
from mom.journal.records import MutationState
from mom.manager.scaleout.lease import LEASES, LeaseRecord, LeaseSpec, lease_body

log = logging.getLogger(__name__)

Monotonic = Callable[[], float]
Wall = Callable[[], datetime]


class LeaderElector:
    """One replica's view of one Lease; thread-safe (the renewals run on a thread of their own)."""

    def __init__(self, client: Client, spec: LeaseSpec, identity: str, *, monotonic: Monotonic, wall: Wall):
        self.spec = spec
        self.identity = identity
        self._client = client
        self._monotonic = monotonic
        self._wall = wall
        self._lock = threading.Lock()
        self._seen: tuple[str, str] | None = None
        self._seen_at = 0.0
        self._renewed_at: float | None = None
        """Monotonic time the last successful renewal was sent; ``None``: not leading."""
        self._acquired: datetime | None = None
        self._transitions = 0

    # The fence

    def write_budget(self) -> float:
        """Seconds this replica may still write; zero or less: it must not write."""
        with self._lock:
            if self._renewed_at is None:
                return 0.0
            return self._renewed_at + self.spec.renew_deadline - self._monotonic()

    def check_fence(self) -> float:
        """The remaining budget, or :class:`Fenced` when it is spent."""
        budget = self.write_budget()
        if budget <= 0:
            raise Fenced(
                f"lease {self.spec.namespace}/{self.spec.name}: {self.identity} is no longer the leader "
                f"(not renewed within {self.spec.renew_deadline:g}s); not writing"
            )
        return budget

    @property
    def client(self) -> Client:
        """The client the elector talks to its Lease's cluster with."""
        return self._client

    @property
    def leading(self) -> bool:
        return self.write_budget() > 0

    # Acquiring and renewing

    def try_acquire_or_renew(self) -> bool:
        """One attempt; True when this replica holds the Lease afterwards."""
        sent = self._monotonic()
        now = self._wall()
        try:
            current = self._client.get_or_none(LEASES, self.spec.name, self.spec.namespace)
            if current is None:
                body = lease_body(self.spec, self.identity, now, acquired=now, transitions=0)
                self._client.create(LEASES, body)
                return self._held(sent, now, 0)
            record = LeaseRecord.of(current, self.spec.duration)
            with self._lock:
                if (record.holder, record.resource_version) != self._seen:
                    self._seen, self._seen_at = (record.holder, record.resource_version), sent
                expired = self._seen_at + record.duration < sent
            ours = record.holder == self.identity and self._acquired is not None
            if record.holder and not ours and not expired:
                return False
            acquired = self._acquired if ours and self._acquired is not None else now
            transitions = record.transitions if ours else record.transitions + 1
            body = lease_body(
                self.spec,
                self.identity,
                now,
                acquired=acquired,
                transitions=transitions,
                version=record.resource_version,
            )
            self._client.update(LEASES, body)
            return self._held(sent, acquired, transitions)
        except Conflict:
            return False
        except MomError as exc:
            log.warning("lease %s/%s: %s", self.spec.namespace, self.spec.name, exc)
            return False

    def _held(self, sent: float, acquired: datetime, transitions: int) -> bool:
        with self._lock:
            if self._renewed_at is None:
                log.info("lease %s/%s acquired by %s", self.spec.namespace, self.spec.name, self.identity)
            self._renewed_at, self._acquired, self._transitions = sent, acquired, transitions
        return True

    def keep_renewing(self, stop: threading.Event) -> None:
        """Renew every ``retryPeriod`` until ``stop`` is set or the budget runs out (then the
        replica has lost the Lease for good; its writes are fenced from then on)."""
        while not stop.wait(self.spec.retry_period):
            if not self.try_acquire_or_renew() and not self.leading:
                log.warning("lease %s/%s lost by %s", self.spec.namespace, self.spec.name, self.identity)
                with self._lock:
                    self._renewed_at = None
                return

    def release(self) -> None:
        """Give the Lease up (on a clean shutdown), so a standby need not wait for it to expire."""
        if not self.leading or self._acquired is None:
            return
        with self._lock:
            self._renewed_at = None
        try:
            current = self._client.get(LEASES, self.spec.name, self.spec.namespace)
            record = LeaseRecord.of(current, self.spec.duration)
            if record.holder != self.identity:
                return
            body = lease_body(
                self.spec,
                "",
                self._wall(),
                acquired=self._acquired,
                transitions=record.transitions,
                version=record.resource_version,
            )
            self._client.update(LEASES, body)
        except MomError as exc:
            log.warning("lease %s/%s not released: %s", self.spec.namespace, self.spec.name, exc)


def await_leadership(
    elector: LeaderElector, stop: threading.Event, attempted: Callable[[], None] = lambda: None
) -> bool:
    """Stand by until this replica holds the Lease (then keep renewing it on a daemon thread);
    False when ``stop`` was set first. ``attempted`` is called after every attempt."""
    while not elector.try_acquire_or_renew():
        attempted()
        if stop.wait(elector.spec.retry_period):
            return False
    threading.Thread(target=elector.keep_renewing, args=(stop,), name="mom-lease", daemon=True).start()
    return True


def start_term(journal: Journal, *, at: datetime) -> int:
    """Begin a term as leader: what this replica's journal left unfinished or unapplied in an
    earlier term is given up (another leader may have written since), and the first tick of the
    term runs every operator on the cluster's current state instead. Returns how many runs and
    mutations were given up."""
    return give_up(
        journal,
        at=at,
        reason="planned in an earlier lease term; the new term starts from the cluster's state",
    )


def give_up(journal: Journal, *, at: datetime, reason: str, instances: Set[str] | None = None) -> int:
    """Abandon unfinished runs and refuse pending mutations (of ``instances`` only, if given):
    another replica may write those clusters now. Returns how many were given up."""
    given_up = 0
    for run_id in journal.unfinished_runs():
        if instances is None or journal.run(run_id).summary.instance in instances:
            journal.abandon_run(run_id, at=at, reason=reason)
            given_up += 1
    instance_of: dict[int, str] = {}
    pending = []
    for mutation in journal.pending_mutations():
        run_id = mutation.run_id
        if run_id not in instance_of:
            instance_of[run_id] = journal.run(run_id).summary.instance
        if instances is None or instance_of[run_id] in instances:
            pending.append(mutation)
    with journal.batch():
        for mutation in pending:
            journal.mark_mutation(mutation.mutation_id, MutationState.REFUSED, reason)
    return given_up + len(pending)


def elector_for(
    spec: LeaseSpec, kubeconfig: Path, context: str, identity: str, *, monotonic: Monotonic, wall: Wall
) -> LeaderElector:
    """An elector on the live cluster holding the Lease; each of its requests waits at most one
    ``retryPeriod``, so a slow server cannot hold a renewal past the deadline unnoticed."""
    from mom.live.transport import LiveTransport  # the HTTP stack only for live clusters

    transport = LiveTransport(
        kubeconfig, context or None, timeout=spec.retry_period, user_agent=user_agent(identity)
    )
    return LeaderElector(Client(transport), spec, identity, monotonic=monotonic, wall=wall)


def user_agent(identity: str) -> str:
    """What a replica calls itself to the server: its audit log tells the replicas' writes apart."""
    return f"mom/{identity}"
