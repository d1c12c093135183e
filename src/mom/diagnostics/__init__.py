"""What a support engineer asks a must-gather first: etcd, alerts, certificates, operators.

Owns: :mod:`~mom.diagnostics.etcd` (members and their health from ``etcd_info/``),
:mod:`~mom.diagnostics.alerts` (firing alerts from ``monitoring/alerts.json``),
:mod:`~mom.diagnostics.certificates` (TLS secrets expiring within a window) and
:mod:`~mom.diagnostics.operators` (ClusterOperator conditions summarised). Each returns rows
(plain dicts, JSON-ready) and never prints. Files beside the resources are read through
:func:`~mom.diagnostics.files.read_json`, size-capped and checked.

Must not import: its siblings ``mom.operator``, ``mom.inputs``, ``mom.apply`` and ``mom.journal``,
or any layer above them (``mom.live``, the manager, server, testing, static pod and envtest
packages, ``mom.cli``); it uses ``mom.mustgather``, ``mom.serialization`` and ``mom.api``.
Entry points: :func:`mom.diagnostics.etcd.etcd_members`, :func:`mom.diagnostics.etcd.etcd_alarms`,
:func:`mom.diagnostics.alerts.firing_alerts`,
:func:`mom.diagnostics.certificates.expiring_certificates`,
:func:`mom.diagnostics.operators.operator_summary`.
"""
