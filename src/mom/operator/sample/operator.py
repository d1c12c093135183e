"""The sample operator as a value: what it reads, what it may write, its controllers."""

from __future__ import annotations

from mom.api.input_resources import ExactResource, InputResources, ResourceList
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.operator import Controller, Operator
from mom.operator.sample import controllers

NAME = "sample-operator"
OPERATOR_NAMESPACE = "openshift-example-operator"

SAMPLE_OPERATOR = Operator(
    name=NAME,
    inputs=InputResources(
        apply_configuration_resources=ResourceList(
            exact_resources=(
                ExactResource.operator("authentications"),
                ExactResource.configmap(controllers.AUTH_NAMESPACE, "foo"),
                ExactResource.configmap(controllers.AUTH_NAMESPACE, "fail-check"),
            )
        )
    ),
    outputs=OutputResources(
        configuration_resources=OutputResourceList(exact_resources=(ExactResource.config("ingresses"),)),
        management_resources=OutputResourceList(
            exact_resources=(ExactResource.operator("authentications"),),
            eventing_namespaces=(OPERATOR_NAMESPACE,),
        ),
        user_workload_resources=OutputResourceList(
            exact_resources=(
                ExactResource("oauth.openshift.io", "v1", "oauthclients", "", "openshift-browser-client"),
                ExactResource.configmap(controllers.AUTH_NAMESPACE, "foo"),
            )
        ),
    ),
    controllers=(
        Controller(f"{NAME}-IngressCreator", controllers.create_ingress),
        Controller(f"{NAME}-FailureGenerator", controllers.generate_failure),
        Controller(f"{NAME}-Demo", controllers.count_runs),
        Controller(f"{NAME}-RemoveStaleConditions", controllers.remove_stale_conditions),
        Controller(f"{NAME}-example-ResourceSync", controllers.sync_resources),
    ),
    event_source="cluster-example-operator",
    involved_object={"kind": "Deployment", "name": "example-operator", "namespace": OPERATOR_NAMESPACE},
)
