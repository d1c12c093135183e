"""The manager's configuration file: operators, clusters, and the instances to manage.

A YAML (or JSON) document; relative paths are relative to the file. Example::

    journal: state/journal.sqlite
    retention:             # optional; what the journal keeps (mom.journal.retention)
      runsPerPair: 100     # the newest runs of each operator on each instance (0: keep all)
      keepProblemsFor: 604800  # seconds failed, abandoned or refusing runs stay regardless
    concurrency: 4         # subprocess runs at once (in-process runs take turns)
    operators:
    - name: sample-operator
      python: mom.operator.sample.operator:SAMPLE_OPERATOR   # in-process
      resync: 600            # seconds between runs on unchanged inputs
      controllers: ["*", -sample-operator-IngressCreator]       # as --controllers
    - name: other
      command: [./bin/other-operator]                           # any language, as a subprocess
      timeout: 60
      network: false         # subprocess operators run without network unless set to true
      outputLimits: {fileBytes: 8388608, entries: 20000, totalBytes: 67108864}   # the defaults
    clusters:
    - name: standalone
      manifestDir: clusters/standalone
    - name: production                     # a live cluster instead of a directory
      kubeconfig: kube/production.yaml
      context: admin                       # optional: the kubeconfig's current context
      impersonate: true                    # optional: write as each operator's service account
      serviceAccountNamespace: mom-operators   # optional: where those service accounts live
    instances:
    - name: standalone
      topology: Standalone
      cluster: standalone
    - name: hosted-a
      topology: HyperShift
      management: management
      guest: guest-a
      hostedControlPlaneNamespace: clusters-hosted-a
      operandNamespaces: [openshift-authentication, openshift-example-operator]
      namespaceMapping: Flatten            # <namespace>--<name> in clusters-hosted-a; or KeepName
      guestNamespaces: [openshift-config, openshift-config-managed]   # Management objects there

A ``manifestDir`` may be a must-gather's top directory: its resource tree is found one level
down (:func:`mom.mustgather.layout.find_resource_root`).

Every problem in the file is reported at once, with its field path.

Owns :func:`load_config` and :func:`parse_config`: the file and its top-level fields. The values
they build are in :mod:`~mom.manager.specs`; each operator, cluster and instance entry is read by
:mod:`~mom.manager.entries`, and the entries are checked against each other by
:mod:`~mom.manager.consistency`.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput
from mom.api.wire_reader import WireReader, quote
from mom.journal.retention import DEFAULT_PROBLEMS_FOR, DEFAULT_RUNS_PER_PAIR, RetentionPolicy
from mom.manager.consistency import check_references
from mom.manager.entries import (
    MAX_CONCURRENCY,
    cluster_entry,
    instance_entry,
    operator_entry,
    read_number,
    read_path,
)
from mom.manager.scaleout.lease import check_ring, read_lease
from mom.manager.specs import ManagerConfig
from mom.serialization import load_document

_TOP = (
    "journal",
    "retention",
    "concurrency",
    "debounce",
    "maxBackoff",
    "operators",
    "clusters",
    "instances",
    "lease",
)


def load_config(path: Path) -> ManagerConfig:
    """Read and validate a configuration file; raises InvalidInput listing every problem."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(str(path), [f"cannot read: {exc.strerror}"]) from exc
    return parse_config(load_document(data, str(path)), path)


def parse_config(document: Any, source: Path) -> ManagerConfig:
    reader = WireReader()
    top = reader.mapping(document, "", _TOP) or {}
    base = source.parent
    operators = tuple(operator_entry(reader, item, here) for here, item in reader.items(top, "operators", ""))
    clusters = tuple(
        cluster_entry(reader, item, here, base) for here, item in reader.items(top, "clusters", "")
    )
    instances = tuple(instance_entry(reader, item, here) for here, item in reader.items(top, "instances", ""))
    check_references(reader, operators, clusters, instances)
    journal = read_path(reader, reader.string(top, "journal", ""), "journal") or "mom-journal.sqlite"
    config = ManagerConfig(
        source=source,
        journal=base / journal,
        operators=operators,
        clusters=clusters,
        instances=instances,
        concurrency=int(read_number(reader, top, "concurrency", "", 4, minimum=1, maximum=MAX_CONCURRENCY)),
        debounce=read_number(reader, top, "debounce", "", 5.0),
        max_backoff=read_number(reader, top, "maxBackoff", "", 300.0),
        retention=_retention(reader, top.get("retention")),
        lease=read_lease(reader, top.get("lease"), {c.name for c in clusters if c.live}),
    )
    live = {c.name: c.live for c in clusters}
    check_ring(
        reader, config.lease, {i.management: live.get(i.management, True) for i in instances if i.management}
    )
    if not operators:
        reader.add("operators", "Required value: at least one operator")
    if not instances:
        reader.add("instances", "Required value: at least one instance")
    if reader.problems:
        raise InvalidInput(str(source), reader.problems)
    return config


def _retention(reader: WireReader, value: Any) -> RetentionPolicy:
    if value is None:
        return RetentionPolicy()
    item = reader.mapping(value, "retention", ("runsPerPair", "keepProblemsFor")) or {}
    runs = read_number(reader, item, "runsPerPair", "retention", DEFAULT_RUNS_PER_PAIR)
    if runs != int(runs):
        reader.add("retention.runsPerPair", f"Invalid value: {quote(runs)}: must be a whole number")
    seconds = read_number(reader, item, "keepProblemsFor", "retention", DEFAULT_PROBLEMS_FOR.total_seconds())
    return RetentionPolicy(int(runs), timedelta(seconds=seconds))
