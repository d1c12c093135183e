"""The Kubernetes client seam: one client over a transport that decides which world it talks to.

Owns: parsing kube-apiserver request paths, the request/response values and the
:class:`~mom.client.messages.Transport` protocol, the snapshot transport (reads from a
:class:`mom.mustgather.store.Snapshot`, writes recorded as :class:`MutationRequest`), mom's lean
dict client, the httpx2 adapter that lets lightkube (or any httpx2 user) use the same
transport (:mod:`mom.client.adapters`), and a transport wrapper noting every read
(:mod:`mom.client.reads`). The transport to a live cluster is :mod:`mom.live.transport`.
Must not import: ``mom.operator``, ``mom.inputs``, ``mom.live`` or anything above.
Entry points: :class:`mom.client.transport.SnapshotTransport`, :class:`mom.client.client.Client`.
"""
