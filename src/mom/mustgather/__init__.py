"""The must-gather format: a tree of YAML files read as a read-only cluster.

Owns the layout of a must-gather (or any manifest directory mom reads and writes as one) and
everything that answers GET and LIST over it. Must not import: ``mom.mutationdir``,
``mom.client`` or anything above them; codecs only through ``mom.serialization``.
Entry points: :func:`mom.mustgather.loader.load_must_gather`, :class:`mom.mustgather.store.Snapshot`,
:class:`mom.mustgather.reader.ClusterReader`.

Modules and what each owns:

- ``layout`` — which files of a tree are resources, paths <-> identities, file names that fit
  the file system.
- ``loader`` — loading a tree into a snapshot, and the only door to its private speed-ups:
  ``_decoding`` (decoding a big tree on helper processes), ``_cache`` (the parsed tree cached
  in a directory the caller names), ``_notify`` (kernel change notifications, owned by a
  ``ChangeNotifier`` the caller creates). None keeps state at module level; ``gc.freeze()``
  only when the caller asks.
- ``documents`` — a decoded file's objects, and whether they belong where they were found.
- ``discovery``, ``builtin_discovery`` — which resources a snapshot serves; mom's built-in table,
  with the resources that have no status subresource.
- ``reader`` — the one read protocol every reader of a cluster implements, and the ``Object``
  alias. ``store`` — the in-memory snapshot: GET and LIST. ``selectors``, ``fieldlabels`` — label
  and field selectors. ``scope`` — reading only the files a declared input needs.
- ``gathered`` — when a must-gather was taken. ``archive`` — unpacking must-gather archives into
  the cache; ``eviction`` — keeping the cache bounded: entries whose tree is gone
  removed, then the least recently used until it is under its size cap.
- ``untrusted`` — reading a tree someone else wrote: regular files only, no links followed,
  sizes and counts capped.
- ``atomicfile`` — replacing a file atomically (temporary sibling, fsync, rename), for every
  writer of mom that needs it.
"""
