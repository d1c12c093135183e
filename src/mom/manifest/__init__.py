"""On-disk formats: must-gather trees as a read-only cluster, mutation directories, and
apply-configuration output directories.

Must not import: ``mom.client`` or anything above it; codecs only through ``mom.serialization``.
Entry points: :func:`mom.manifest.loader.load_must_gather`, :class:`mom.manifest.store.Snapshot`,
:class:`mom.manifest.requests.MutationRequest`, :mod:`mom.manifest.mutationdir`,
:mod:`mom.manifest.operator_output`, :mod:`mom.manifest.equivalence`,
:mod:`mom.manifest.untrusted`.

Modules and what each owns:

- ``layout`` — the must-gather layout: which files are resources, paths <-> identities, file
  names that fit the file system.
- ``loader`` — loading a tree into a snapshot, and the only door to its private speed-ups:
  ``_decoding`` (decoding a big tree on helper processes), ``_cache`` (the parsed tree cached
  in a directory the caller names), ``_notify`` (kernel change notifications, owned by a
  ``ChangeNotifier`` the caller creates). None keeps state at module level; ``gc.freeze()``
  only when the caller asks.
- ``documents`` — a decoded file's objects, and whether they belong where they were found.
- ``discovery``, ``builtin_discovery`` — which resources a snapshot serves; mom's built-in table.
- ``reader`` — the one read protocol every reader of a cluster implements, and the ``Object``
  alias. ``store`` — the in-memory snapshot: GET and LIST. ``selectors``, ``fieldlabels`` — label and
  field selectors. ``scope`` — reading only the files a declared input needs.
- ``gathered`` — when a must-gather was taken. ``archive`` — unpacking must-gather archives into
  the cache; ``eviction`` — keeping the cache under its size cap.
- ``requests`` — one recorded write request. ``mutationdir`` — mutation directories, written and
  read as library-go does. ``equivalence`` — whether two sets of mutations or two outputs match.
- ``operator_output`` — the apply-configuration output directory: its entry names
  (``controller-results.yaml``, one directory per cluster type, ``Unspecified/``), writing it,
  reading it back; the only module that names its files.
- ``untrusted`` — reading a tree someone else wrote: regular files only, no links followed,
  sizes and counts capped.
- ``atomicfile`` — replacing a file atomically (temporary sibling, fsync, rename), for every
  writer of mom that needs it.
"""
