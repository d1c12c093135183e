"""The mutation-directory format: recorded write requests on disk, and operator output directories.

Owns what an operator's run leaves behind and what the Go harness compares. Must not import:
``mom.client`` or anything above it; it reads and writes files through :mod:`mom.mustgather`'s
layout, untrusted reader and atomic writer, and codecs only through ``mom.serialization``.
Entry points: :class:`mom.mutationdir.requests.MutationRequest`,
:func:`mom.mutationdir.directory.write_mutation_dir`, :func:`mom.mutationdir.output.read_operator_output`.

Modules and what each owns:

- ``requests`` — one recorded write request (action, path identity, body, options).
- ``directory`` — mutation directories, written and read as library-go does.
- ``output`` — the apply-configuration output directory: its entry names
  (``controller-results.yaml``, one directory per cluster type, ``Unspecified/``), writing it,
  reading it back; the only module that names its files.
- ``equivalence`` — whether two sets of mutations or two outputs match, and why not.
"""
