"""An example of a realistic operator: the OAuth server's operand and its reported status.

It renders the ``oauth-openshift`` Deployment and its configuration from the cluster's
``OAuth`` and ``Ingress`` configuration, and reports ClusterOperator-style conditions
(Available, Progressing, Degraded) on the operator resource and the ``authentication``
ClusterOperator. The same code serves standalone and HyperShift: it never names a cluster,
only cluster types. Entry points: :data:`mom.operator.oauth.operator.OAUTH_OPERATOR` and the
``oauth-operator`` command.
"""
