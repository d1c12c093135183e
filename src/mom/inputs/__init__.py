"""Inputs: gathering what an operator declared it reads into a pruned, standalone-shaped tree.

Owns: following an ``input-resources`` declaration against any
:class:`~mom.mustgather.reader.ClusterReader` (a must-gather read on demand, a loaded snapshot,
or a live cluster) — exact, generated-name and label-selected
objects and JSONPath references followed to a fixed point — writing the result as a
must-gather tree, the digest that tells whether an operator's inputs changed, and whether a
declaration covers an object (:mod:`mom.inputs.coverage`).

Modules: ``gather`` (following a declaration over a reader), ``tree`` (a must-gather read on
demand, only where a request can be answered), ``writer`` (the gathered objects as an input
directory), ``prune`` (``create-input-resources``: gather from a tree, then write), ``digest``
(equal exactly when an operator would see the same inputs), ``coverage``.
Must not import: ``mom.operator``, ``mom.testing``, ``mom.cli``, codecs (use ``mom.serialization``).
Entry points: :func:`gather_inputs`, :func:`prune_must_gather`, :func:`write_input_dir`,
:func:`input_digest`, :class:`TreeSource`; a live cluster's reader is
:class:`mom.live.source.LiveSource`.
"""

from mom.inputs.digest import directory_digest, input_digest
from mom.inputs.gather import GatheredInputs, gather_inputs
from mom.inputs.prune import load_input_resources, prune_must_gather
from mom.inputs.tree import TreeSource
from mom.inputs.writer import input_files, write_input_dir

__all__ = [
    "GatheredInputs",
    "TreeSource",
    "directory_digest",
    "gather_inputs",
    "input_digest",
    "input_files",
    "load_input_resources",
    "prune_must_gather",
    "write_input_dir",
]
