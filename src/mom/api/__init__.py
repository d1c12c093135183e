"""Pure, immutable wire types: resource identities, cluster types, actions, documents, results.

Owns: the vocabulary every other layer speaks. Must not import: anything from mom outside
``mom.api``, any codec (yaml, json), or anything that does I/O.
Entry points: :mod:`mom.api.resources`, :mod:`mom.api.cluster`, :mod:`mom.api.errors`.
Also here: the bases of values whose methods are written out (:mod:`mom.api.values`) and the
SHA-256 digests names are made of (:mod:`mom.api.digest`).
"""
