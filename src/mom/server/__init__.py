"""A snapshot served as a kube-apiserver over HTTP(S), for kubectl, client-go and any client.

Owns: the ASGI app (:mod:`~mom.server.app`), the served cluster and its ``--mutable`` overlay
(:mod:`~mom.server.cluster`), writes and their recording (:mod:`~mom.server.mutations`),
``Status`` errors (:mod:`~mom.server.statuses`), taking requests in under limits
(:mod:`~mom.server.intake`), ``Table`` output (:mod:`~mom.server.tables`), WATCH streams
(:mod:`~mom.server.watch`), discovery (:mod:`~mom.server.discovery`), running under uvicorn
(:mod:`~mom.server.runner`) with a deadline for slow clients (:mod:`~mom.server.protocol`)
and TLS plus kubeconfig files (:mod:`~mom.server.tls`).
Must not import: mom.cli, mom.testing, mom.operator, mom.inputs, mom.validation (it sits above
them all but cli and testing, and uses only mom.client, mom.manifest, mom.serialization, mom.api).
Entry points: :func:`mom.server.runner.build_app`, :func:`mom.server.runner.serve`,
:func:`mom.server.runner.start_in_thread`; the command is ``mom serve`` (:mod:`mom.cli.serve`).
"""
