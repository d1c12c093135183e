"""The Kubernetes client seam: one client over a transport that decides which world it talks to.

Modules and what each owns:

- ``client`` — mom's lean client (:class:`mom.client.client.Client`): plain-dict objects, no
  HTTP stack imported, so an operator run as a subprocess starts fast.
- ``messages`` — the request and response values, the :class:`mom.client.messages.Transport`
  protocol every transport implements, and the one builder of ``Status`` failures.
- ``paths`` — parsing kube-apiserver request paths into what they address.
- ``transport`` — :class:`mom.client.transport.SnapshotTransport`: reads answered from a
  :class:`mom.mustgather.reader.ServedReader` (a :class:`mom.mustgather.store.Snapshot`, or the
  writable view ``mom serve --mutable`` reads), writes handed to the recorder.
- ``recorder`` — :class:`mom.client.recorder.MutationRecorder`: an HTTP write turned into a
  :class:`mom.mutationdir.requests.MutationRequest` instead of being performed.
- ``reads`` — a transport wrapper noting every read (:class:`mom.client.reads.ReadTracingTransport`).
- ``adapters`` — the httpx2 adapter that lets lightkube (or any httpx2 user) talk to a mom
  transport.

The transport to a live cluster is :mod:`mom.live.transport`, a layer above.
Must not import: ``mom.validation`` or any layer above it (``mom.operator``, ``mom.inputs``,
``mom.apply``, ``mom.journal``, ``mom.diagnostics``, ``mom.live``, the manager, server,
testing, static pod and envtest packages, ``mom.cli``); codecs only through ``mom.serialization``.
Entry points: :class:`mom.client.transport.SnapshotTransport`, :class:`mom.client.client.Client`.
"""
