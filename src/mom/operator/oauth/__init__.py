"""An example of a realistic operator: the OAuth server's operand and its reported status.

It renders the ``oauth-openshift`` Deployment and its configuration from the cluster's
``OAuth`` and ``Ingress`` configuration, and reports ClusterOperator-style conditions
(Available, Progressing, Degraded) on the operator resource and the ``authentication``
ClusterOperator. The same code serves standalone and HyperShift: it never names a cluster,
only cluster types. Modules and what each owns:

- ``operator`` — the operator as a value: what it reads, what it may write, its controllers
  (:data:`mom.operator.oauth.operator.OAUTH_OPERATOR`).
- ``controllers`` — its controllers, each a run-once function of its context.
- ``render`` — pure functions from configuration to the operand's desired objects.
- ``command`` — the generated ``oauth-operator`` command line
  (:func:`mom.operator.oauth.command.main`).

Like any operator it uses only the SDK (:mod:`mom.operator`), ``mom.serialization`` and
``mom.api``.
Entry points: :data:`mom.operator.oauth.operator.OAUTH_OPERATOR` and the ``oauth-operator``
command.
"""
