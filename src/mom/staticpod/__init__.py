"""The independent static pod controller: operands installed node by node, no standing operator.

An operator decides an operand's configuration and writes its revision inputs (ConfigMaps,
Secrets, the pod template) as declared mutations. This package owns the rest, in two parts:

* the cluster part — :mod:`~mom.staticpod.revisions` (snapshot inputs as ``<name>-<revision>``),
  :mod:`~mom.staticpod.rollout` (one node at a time, minimum ready duration, stop on fallback),
  :mod:`~mom.staticpod.pruning`, over the library-go ``StaticPodOperatorStatus`` fields of
  :mod:`~mom.staticpod.status` and the node reports of :mod:`~mom.staticpod.mirror`; run as an
  ordinary operator (:mod:`~mom.staticpod.controller`) or a standing loop (:mod:`~mom.staticpod.loop`);
* the node part — :mod:`~mom.staticpod.installer` (atomic install under a lock file),
  :mod:`~mom.staticpod.readiness` (mirror pod or probe URL) and :mod:`~mom.staticpod.node`
  (install, readiness, fallback; works from local copies while the API is down), with the
  revision's files of :mod:`~mom.staticpod.files`.

:mod:`~mom.staticpod.operand` defines an operand and the names both parts share.
Must not import: ``mom.cli`` (above it) or its siblings ``mom.manager``, ``mom.testing``,
``mom.server`` and ``mom.envtest``; the node part does not import the cluster part (both are
contracts in ``pyproject.toml``).
Entry points: :func:`~mom.staticpod.operand.load_operand`,
:func:`~mom.staticpod.controller.static_pod_operator`, :class:`~mom.staticpod.node.NodeAgent`.
"""
