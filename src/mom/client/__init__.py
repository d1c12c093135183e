"""The Kubernetes client seam: reads answered from a snapshot, writes recorded, or a live cluster.

Owns: parsing kube-apiserver request paths, the snapshot transport (reads from a
:class:`mom.manifest.store.Snapshot`, writes recorded as :class:`MutationRequest`), mom's lean
dict client, the httpx2 adapter that lets lightkube (or any httpx2 user) use the same
transport, and a transport wrapper noting every read (:mod:`mom.client.reads`).
Must not import: ``mom.operator``, ``mom.inputs`` or anything above.
Entry points: :class:`mom.client.transport.SnapshotTransport`, :class:`mom.client.client.Client`.
"""
