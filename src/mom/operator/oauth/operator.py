"""The OAuth server operator as a value."""

from __future__ import annotations

from mom.api.input_resources import ExactResource, InputResources, ResourceList
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.operator import Controller, Operator
from mom.operator.oauth import controllers, render

NAME = "oauth-operator"
OPERATOR_NAMESPACE = "openshift-authentication-operator"

OAUTH_OPERATOR = Operator(
    name=NAME,
    inputs=InputResources(
        apply_configuration_resources=ResourceList(
            exact_resources=(
                ExactResource.config("oauths"),
                ExactResource.config("ingresses"),
                ExactResource.config("clusteroperators", "authentication"),
                ExactResource.operator("authentications"),
                ExactResource("apps", "v1", "deployments", render.NAMESPACE, render.DEPLOYMENT),
            )
        )
    ),
    outputs=OutputResources(
        configuration_resources=OutputResourceList(
            exact_resources=(ExactResource.config("clusteroperators", "authentication"),)
        ),
        management_resources=OutputResourceList(
            exact_resources=(
                ExactResource("apps", "v1", "deployments", render.NAMESPACE, render.DEPLOYMENT),
                ExactResource.configmap(render.NAMESPACE, render.CONFIGMAP),
                ExactResource.operator("authentications"),
            ),
            eventing_namespaces=(OPERATOR_NAMESPACE,),
        ),
    ),
    controllers=(
        Controller(f"{NAME}-Deployment", controllers.sync_operand),
        Controller(f"{NAME}-Status", controllers.report_status),
    ),
    event_source=NAME,
    involved_object={"kind": "Deployment", "name": NAME, "namespace": OPERATOR_NAMESPACE},
)
