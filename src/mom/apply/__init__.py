"""Applying validated mutations to a target, with Kubernetes semantics, crash-safe and idempotent.

Owns: the :class:`~mom.apply.target.Target` protocol and its result values; the patch formats
(:mod:`mom.apply.patches`); server-side apply (:mod:`mom.apply.ssa`); what each action does to
a stored object (:mod:`mom.apply.semantics`); the manifest-directory target
(:mod:`mom.apply.manifest_target`, with :mod:`mom.apply.placement`) and its write-ahead log
(:mod:`mom.apply.wal`); the in-memory target over a snapshot that ``mom serve --mutable`` writes
to (:mod:`mom.apply.memory_target`). The live-cluster target, :class:`mom.live.target.LiveTarget`,
lives in :mod:`mom.live` and follows the rules kept here.
Must not import: ``mom.operator``, ``mom.inputs``, ``mom.testing``, ``mom.cli``, or any
manager/journal package; it may import ``mom.validation``, ``mom.client``, ``mom.mutationdir``, ``mom.mustgather``,
``mom.serialization`` and ``mom.api``. Only :mod:`mom.live`, the manager, the server and the CLI import it.
Entry points: :class:`ManifestTarget`, :class:`Target`, :class:`ApplyResult`, :class:`Outcome`.
"""

from mom.apply.manifest_target import ManifestTarget
from mom.apply.target import ApplyResult, Outcome, Target

__all__ = ["ApplyResult", "ManifestTarget", "Outcome", "Target"]
