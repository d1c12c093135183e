"""A snapshot served as a kube-apiserver over HTTP(S), for kubectl, client-go and any client.

Owns: the ASGI app (:mod:`~mom.server.app`), writes and their recording
(:mod:`~mom.server.mutations`), taking requests in under limits (:mod:`~mom.server.intake`),
``Table`` output (:mod:`~mom.server.tables`, with the built-in kinds' columns in
:mod:`~mom.server.printers` and :mod:`~mom.server.columns`, pod STATUS in
:mod:`~mom.server.podstatus`), pod logs (:mod:`~mom.server.logs`), WATCH streams and the open
watches (:mod:`~mom.server.watch`), discovery (:mod:`~mom.server.discovery`, short names,
categories and CRD resources in :mod:`~mom.server.names`), OpenAPI for ``kubectl explain``
(:mod:`~mom.server.openapi`, :mod:`~mom.server.schemas`), ``/version``
(:mod:`~mom.server.version`), running under uvicorn (:mod:`~mom.server.runner`) with a deadline
for slow clients (:mod:`~mom.server.protocol`) and TLS plus kubeconfig files
(:mod:`~mom.server.tls`).
What it does not own, it uses: the objects served and the ``--mutable`` writes are a
:class:`~mom.apply.memory_target.MemoryTarget`, deciding each write as every target does
(:mod:`mom.apply.semantics`); GET, LIST and recording are the
:class:`~mom.client.transport.SnapshotTransport`'s, and ``Status`` failures are
:func:`mom.client.messages.status_response`.
Must not import: ``mom.cli`` (above it) or its siblings ``mom.testing``, ``mom.manager``,
``mom.staticpod`` and ``mom.envtest`` (of the layers below it, it uses only mom.apply,
mom.client, mom.mutationdir, mom.mustgather, mom.serialization and mom.api).
Entry points: :func:`mom.server.runner.build_app`, :func:`mom.server.runner.serve`,
:func:`mom.server.runner.start_in_thread`; the command is ``mom serve`` (:mod:`mom.cli.serve`).
"""
