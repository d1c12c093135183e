"""A snapshot served as a kube-apiserver over HTTP(S), for kubectl, client-go and any client.

Owns: the ASGI app (:mod:`~mom.server.app`), the served cluster and its ``--mutable`` overlay
(:mod:`~mom.server.cluster`), writes and their recording (:mod:`~mom.server.mutations`),
``Status`` errors (:mod:`~mom.server.statuses`), taking requests in under limits
(:mod:`~mom.server.intake`), ``Table`` output (:mod:`~mom.server.tables`, with the built-in
kinds' columns in :mod:`~mom.server.printers` and :mod:`~mom.server.columns`, pod STATUS in
:mod:`~mom.server.podstatus`), pod logs (:mod:`~mom.server.logs`), WATCH streams
(:mod:`~mom.server.watch`), discovery (:mod:`~mom.server.discovery`, short names, categories and
CRD resources in :mod:`~mom.server.names`), OpenAPI for ``kubectl explain``
(:mod:`~mom.server.openapi`, :mod:`~mom.server.schemas`), ``/version``
(:mod:`~mom.server.version`), running under uvicorn
(:mod:`~mom.server.runner`) with a deadline for slow clients (:mod:`~mom.server.protocol`)
and TLS plus kubeconfig files (:mod:`~mom.server.tls`).
Must not import: mom.cli, mom.testing, mom.operator, mom.inputs, mom.validation (it sits above
them all but cli and testing, and uses only mom.client, mom.manifest, mom.serialization, mom.api).
Entry points: :func:`mom.server.runner.build_app`, :func:`mom.server.runner.serve`,
:func:`mom.server.runner.start_in_thread`; the command is ``mom serve`` (:mod:`mom.cli.serve`).
"""
