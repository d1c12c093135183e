"""Putting a manager together from its configuration: journal, targets, runners, pins.

A manifest-directory cluster becomes a :class:`ManifestTarget`; a live cluster a
:class:`LiveTarget` watching every resource type some pinned operator reads
(:func:`watched_resources`), one watch per type shared by all operators.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING

from mom.api.input_resources import InputResources, ResourceReference
from mom.api.output_resources import OutputResources
from mom.api.resources import NAMESPACES, GroupVersionResource
from mom.api.values import Frozen
from mom.apply.manifest_target import ManifestTarget
from mom.apply.target import Target
from mom.journal.journal import Journal
from mom.journal.lock import lock_journal
from mom.manager.gathering import management_namespaces, read_scopes
from mom.manager.loop import Manager
from mom.manager.operators import InProcessRunner, OperatorRunner
from mom.manager.pins import Pin, PinStore, document_digest, unrecorded_pin
from mom.manager.specs import ClusterSpec, ManagerConfig
from mom.mustgather.loader import change_notifier
from mom.mustgather.scope import ReadScope

if TYPE_CHECKING:
    from mom.manager.execution import Progress
    from mom.mustgather.loader import ChangeNotifier
    from mom.operator.sandbox import Sandbox


def build_runners(config: ManagerConfig) -> dict[str, OperatorRunner]:
    """One runner per operator; subprocess operators share one probe of the sandbox, and a
    sandbox this machine cannot provide is reported here, once."""
    runners: dict[str, OperatorRunner] = {}
    sandbox: Sandbox | None = None
    for spec in config.operators:
        if spec.in_process:
            runners[spec.name] = InProcessRunner(spec)
            continue
        from mom.manager.subprocesses import SubprocessRunner  # processes only for executables
        from mom.operator.sandbox import probe_sandbox

        if sandbox is None:
            sandbox = _announce(probe_sandbox())
        runners[spec.name] = SubprocessRunner(spec, config.source.parent, sandbox)
    return runners


def _announce(sandbox: Sandbox) -> Sandbox:
    import logging

    log = logging.getLogger(__name__)
    if not sandbox.available:
        log.warning(
            "subprocess operators run UNCONFINED (they can write anything this user can, and use "
            "the network): %s",
            "; ".join(sandbox.notes),
        )
    elif sandbox.notes:
        log.warning("subprocess operators are confined, but: %s", "; ".join(sandbox.notes))
    return sandbox


def pin_operators(
    config: ManagerConfig,
    runners: dict[str, OperatorRunner],
    *,
    repin: bool = False,
    record: bool = True,
    now: datetime | None = None,
) -> tuple[dict[str, Pin], list[str]]:
    """Each operator's pinned documents; the first registration pins what it declares now.

    Returns the pins and a notice per operator whose declaration changed since it was pinned.
    Given ``now``, an operator whose declarations were found unchanged within its resync period
    before it, asked of the same executable and command line, is not asked again
    (:mod:`mom.manager.pins`); without it, every operator is asked.
    Without ``record``, an operator never registered is taken as it declares itself now and
    nothing is written: ``mom deploy`` (whose managers register operators in their own state)
    and replay leave this manager's state as they found it.
    """
    store = PinStore(config.journal.with_suffix(".pins.json"))
    pinned = {name: None if repin else store.get(name) for name in runners}
    identities = {name: runner.identity() for name, runner in runners.items()}
    trusted = {
        name: pin
        for name, pin in pinned.items()
        if pin is not None
        and now is not None
        and store.confirmed_within(name, identities[name], now, runners[name].spec.resync)
    }
    declared = _declarations(config, {name: r for name, r in runners.items() if name not in trusted})
    pins: dict[str, Pin] = {}
    notices: list[str] = []
    confirmations = []
    for name in runners:
        pin = pinned[name]
        if name in trusted:
            pins[name] = trusted[name]
            continue
        inputs, outputs = declared[name]
        if pin is None:
            pin = store.pin(name, inputs, outputs) if record else unrecorded_pin(name, inputs, outputs)
            confirmations.append(name)
        elif _declares(pin, inputs, outputs):
            confirmations.append(name)
        else:
            notices.append(
                f"operator {name} now declares other inputs/outputs than when it was registered; "
                "the registered ones stay in force (run with --repin to accept the new ones)"
            )
        pins[name] = pin
    confirmed = [(name, identity) for name in confirmations if (identity := identities[name]) is not None]
    if record and now is not None and confirmed:
        for name, identity in confirmed:
            store.confirm(name, identity, now)
        store.save()
    return pins, notices


def _declares(pin: Pin, inputs: InputResources, outputs: OutputResources) -> bool:
    """Whether these documents are the pinned ones (equal values have equal digests)."""
    return (inputs == pin.inputs and outputs == pin.outputs) or document_digest(inputs, outputs) == pin.digest


def _declarations(
    config: ManagerConfig, runners: Mapping[str, OperatorRunner]
) -> dict[str, tuple[InputResources, OutputResources]]:
    """Every operator's declared inputs and outputs, in configuration order.

    When some runner gains from threads (a subprocess operator is two process starts), every
    operator is asked for both documents at once; the answers are then taken in order, so the
    first failure reported is the one asking in order would report."""
    if not any(runner.concurrent for runner in runners.values()):
        return {name: (r.declared_inputs(), r.declared_outputs()) for name, r in runners.items()}
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=max(1, min(config.concurrency, 2 * len(runners)))) as pool:
        asked = {
            name: (pool.submit(runner.declared_inputs), pool.submit(runner.declared_outputs))
            for name, runner in runners.items()
        }
        return {name: (inputs.result(), outputs.result()) for name, (inputs, outputs) in asked.items()}


def open_manager(
    config: ManagerConfig,
    *,
    clock: Callable[[], datetime],
    repin: bool = False,
    progress: Progress | None = None,
    writer: Writer | None = None,
    watch: bool = True,
) -> tuple[Manager, list[str]]:
    """A ready manager (journal open and locked for this process, pending work not yet rolled
    forward) and start-up notices. A second manager on the same journal gets :class:`Conflict`.
    ``writer`` names this process to live clusters and fences its writes (leader election).
    ``watch=False``: manifest directories are walked at each read, never watched for changes
    (for a process that ticks once)."""
    config.journal.parent.mkdir(parents=True, exist_ok=True)
    lock = lock_journal(config.journal)  # before anything else touches the journal or a target
    try:
        journal = Journal(config.journal, lock=lock)
    except BaseException:
        lock.release()
        raise
    try:
        runners = build_runners(config)
        pins, notices = pin_operators(config, runners, repin=repin, now=clock())
        manager = Manager(
            config,
            journal=journal,
            targets=build_targets(config, clock, pins, writer, watch=watch),
            runners=runners,
            pins=pins,
            clock=clock,
            progress=progress,
            write_budget=writer.write_budget if writer else None,
        )
    except BaseException:
        journal.close()
        raise
    return manager, notices


def build_targets(
    config: ManagerConfig,
    clock: Callable[[], datetime],
    pins: Mapping[str, Pin],
    writer: Writer | None,
    *,
    watch: bool = True,
) -> dict[str, Target]:
    """Every configured cluster's target, reading only what the pinned operators may read;
    manifest directories watched for changes unless ``watch`` is false."""
    resources = watched_resources(pins.values())
    scopes = read_scopes(config.instances, pins.values())
    namespaces = management_namespaces(config.instances)
    notifier = change_notifier() if watch else None  # one kernel instance for every manifest directory
    return {
        cluster.name: build_target(
            cluster,
            clock,
            resources,
            scopes.get(cluster.name),
            writer,
            namespaces.get(cluster.name),
            notifier,
            watch=watch,
        )
        for cluster in config.clusters
    }


def watched_resources(pins: Iterable[Pin]) -> set[GroupVersionResource]:
    """Every resource type the pinned operators read: exact, generated-name, label-selected, and
    both ends of every reference; namespaces always (inputs carry their namespaces)."""
    found = {NAMESPACES}
    for pin in pins:
        resources = pin.inputs.apply_configuration_resources
        found.update(r.gvr for r in resources.exact_resources)
        found.update(r.gvr for r in resources.generated_name_resources)
        found.update(r.gvr for r in resources.label_selected_resources)
        for reference in resources.resource_references:
            found.update(_reference_resources(reference))
    return found


def _reference_resources(reference: ResourceReference) -> list[GroupVersionResource]:
    ends = (
        reference.implicit_namespaced_reference,
        reference.explicit_namespaced_reference,
        reference.cluster_scoped_reference,
    )
    return [reference.referring_resource.gvr] + [end.gvr for end in ends if end is not None]


class Writer(Frozen):
    """Who this process is to a live cluster (its User-Agent), and how long it may still write."""

    user_agent: str
    write_budget: Callable[[], float]

    __slots__ = ("user_agent", "write_budget")

    def __init__(self, user_agent: str, write_budget: Callable[[], float]) -> None:
        object.__setattr__(self, "user_agent", user_agent)
        object.__setattr__(self, "write_budget", write_budget)


def build_target(
    cluster: ClusterSpec,
    clock: Callable[[], datetime],
    resources: Iterable[GroupVersionResource],
    scope: ReadScope | None = None,
    writer: Writer | None = None,
    namespaces: Iterable[str] | None = None,
    notifier: ChangeNotifier | None = None,
    *,
    watch: bool = True,
) -> Target:
    """The target of one configured cluster: its manifest directory (read only where ``scope``
    wants, when given), or the live cluster (namespaced types watched only in ``namespaces``,
    when given); ``watch=False``: a manifest directory is walked at each read, never watched."""
    if cluster.kubeconfig is not None:
        from mom.live.target import LiveTarget  # the HTTP stack only for live clusters
        from mom.live.transport import LiveTransport

        transport = LiveTransport(
            cluster.kubeconfig,
            cluster.context or None,
            user_agent=writer.user_agent if writer else "",
            write_budget=writer.write_budget if writer else None,
        )
        return LiveTarget(cluster.name, transport, clock=clock, resources=resources, namespaces=namespaces)
    assert cluster.manifest_dir is not None  # config validation: exactly one of the two
    return ManifestTarget(
        cluster.manifest_dir,
        name=cluster.name,
        clock=clock,
        file_format=cluster.file_format,
        scope=scope,
        notifier=notifier,
        watch=watch,
    )
