"""Pure, immutable wire types: resource identities, cluster types, actions, documents, results.

Owns the vocabulary every other layer speaks, with no I/O. Modules and what each owns:

- ``resources`` — identities of resources and objects (:class:`mom.api.resources.GroupVersionResource`,
  :class:`mom.api.resources.ObjectRef`), accessors of an object's metadata, and the deep copy of
  a decoded object that the write paths make (:func:`mom.api.resources.copy_value`).
- ``cluster`` — :class:`mom.api.cluster.ClusterType` (where an output goes) and
  :class:`mom.api.cluster.Action` (what a write was).
- ``input_resources`` — the ``input-resources`` document, read strictly from the wire and
  written back; ``references`` — the references between objects it declares; ``jsonpath`` —
  parsing and evaluating the JSONPath dialect those documents use.
- ``output_resources`` — the ``output-resources`` document and the rule deciding whether one
  write is allowed by one declared list (:func:`mom.api.output_resources.output_matches`).
- ``resource_entries`` — exact, generated-name and label-selected entries, shared by both
  documents; ``wire_reader`` — strict reading of a decoded document, every problem collected
  with its field path.
- ``results`` — one run's per-controller results (``controller-results.yaml``).
- ``errors`` — the one exception tree, rooted at :class:`mom.api.errors.MomError`.
- ``values`` — the bases of values whose methods are written out, so an operator run does not
  compile dataclass methods at import; ``digest`` — the SHA-256 digests names are made of,
  from the interpreter's built-in module; ``timestamps`` — RFC 3339 timestamps as Kubernetes
  writes them; ``exits`` — how a console command's process ends; ``logs`` — a console
  command's log records to stderr, configured once something imports ``logging``.

Must not import: any other mom package (it is the lowest layer), any codec (yaml, json), or
anything that does I/O.
Entry points: :mod:`mom.api.resources`, :mod:`mom.api.cluster`, :mod:`mom.api.errors`,
:class:`mom.api.input_resources.InputResources`, :class:`mom.api.output_resources.OutputResources`.
"""
