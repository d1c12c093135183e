"""On-disk formats: must-gather trees as a read-only cluster, and mutation directories.

Owns: the must-gather layout (paths <-> identities), discovery, the one read protocol every
reader of a cluster implements (:mod:`mom.manifest.reader`), the in-memory snapshot with
GET/LIST/selectors, recorded mutation requests, mutation directories (write, read) and their
equivalence, apply-configuration output directories, and reading untrusted trees (regular
files only, no links followed, sizes and counts capped). Must not import: ``mom.client`` or
anything above it; codecs only through ``mom.serialization``.
Entry points: :func:`mom.manifest.loader.load_must_gather`, :class:`mom.manifest.store.Snapshot`,
:class:`mom.manifest.requests.MutationRequest`, :mod:`mom.manifest.mutationdir`,
:mod:`mom.manifest.equivalence`, :mod:`mom.manifest.operator_output`,
:mod:`mom.manifest.untrusted`.
"""
