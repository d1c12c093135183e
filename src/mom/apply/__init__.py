"""Applying validated mutations to a target, with Kubernetes semantics, crash-safe and idempotent.

The only write path to a cluster. Modules and what each owns:

- ``target`` — the :class:`~mom.apply.target.Target` protocol (apply one mutation under an id,
  idempotently; read the current state) and its result values.
- ``semantics`` — what each action does to a stored object, decided as a kube-apiserver decides
  it (:func:`mom.apply.semantics.decide`); the manifest-directory and in-memory targets decide
  every write with it.
- ``patches`` — JSON patch, JSON merge patch and strategic merge patch on plain-dict objects.
- ``ssa`` — server-side apply: merging an applied configuration, with managed fields.
- ``manifest_target`` — a must-gather directory as a target (:class:`ManifestTarget`);
  ``placement`` — where an object lives in that tree and the file changes that write it;
  ``wal`` — the write-ahead log that makes those changes crash-safe and idempotent.
- ``memory_target`` — the in-memory target over a snapshot that ``mom serve --mutable`` writes
  to, with the semantics of the manifest-directory target.
- ``rbac`` — least-privilege RBAC for one operator from its pinned inputs and outputs, and the
  service account mom impersonates when it writes for that operator.

The live-cluster target, :class:`mom.live.target.LiveTarget`, lives in :mod:`mom.live` and
follows the rules kept here.
Must not import: ``mom.operator``, ``mom.inputs``, ``mom.journal``, ``mom.diagnostics`` (its
siblings) or any layer above them (``mom.live``, the manager, server, testing, static pod and
envtest packages, ``mom.cli``); it uses ``mom.validation``, ``mom.mutationdir``,
``mom.mustgather``, ``mom.serialization`` and ``mom.api``. Only :mod:`mom.live`, the manager,
the server and the CLI import it.
Entry points: :class:`ManifestTarget`, :class:`Target`, :class:`ApplyResult`, :class:`Outcome`.
"""

from mom.apply.manifest_target import ManifestTarget
from mom.apply.target import ApplyResult, Outcome, Target

__all__ = ["ApplyResult", "ManifestTarget", "Outcome", "Target"]
