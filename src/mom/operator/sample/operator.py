"""The sample operator as a value: what it reads, what it may write, its controllers.

Its inputs are the Go sample operator's declaration, entry for entry and in the same order
(mom's ``input-resources`` then appends the Configuration outputs, as Go's does). Like the Go
operator it declares more than its controllers read and reads one object it does not declare,
the operator ``authentications/cluster``: run by a manager, RemoveStaleConditions finds no
object to clean up and example-ResourceSync applies its condition regardless.
"""

from __future__ import annotations

from mom.api.input_resources import (
    ExactResource,
    ImplicitNamespacedReference,
    InputResources,
    LabelSelectedResource,
    OperandResourceList,
    ResourceList,
    ResourceReference,
)
from mom.api.output_resources import OutputResourceList, OutputResources
from mom.operator import Controller, Operator
from mom.operator.sample import controllers

NAME = "sample-operator"
OPERATOR_NAMESPACE = "openshift-example-operator"
OAUTH_APISERVER_NAMESPACE = "openshift-oauth-apiserver"
REVISION_LABEL = {"operator.openshift.io/controller-instance-name": "oauth-apiserver-RevisionController"}
ROUTE_CERT_PATH = (
    '$.spec.componentRoutes[?(@.name == "my-route" && @.namespace == "openshift-authentication")]'
    ".servingCertKeyPairSecret.name"
)

INPUTS = InputResources(
    apply_configuration_resources=ResourceList(
        exact_resources=(
            ExactResource.secret(controllers.AUTH_NAMESPACE, "v4-0-config-system-ocp-branding-template"),
            ExactResource.config("authentications"),
            ExactResource.config("proxies"),
            ExactResource.config("consoles"),
            ExactResource.config("oauths"),
            ExactResource.configmap(controllers.AUTH_NAMESPACE, "fail-check"),
            ExactResource.configmap(controllers.AUTH_NAMESPACE, "foo"),
        ),
        label_selected_resources=(
            LabelSelectedResource(
                "", "v1", "configmaps", OAUTH_APISERVER_NAMESPACE, {"matchLabels": REVISION_LABEL}
            ),
            LabelSelectedResource(
                "", "v1", "secrets", OAUTH_APISERVER_NAMESPACE, {"matchLabels": REVISION_LABEL}
            ),
        ),
        resource_references=(
            ResourceReference.implicit(
                ExactResource.config("ingresses"),
                ImplicitNamespacedReference("", "v1", "secrets", "openshift-config", ROUTE_CERT_PATH),
            ),
        ),
    ),
    operand_resources=OperandResourceList(
        management_resources=ResourceList(
            exact_resources=(
                ExactResource("apps", "v1", "deployments", controllers.AUTH_NAMESPACE, "oauth-server"),
            )
        )
    ),
)

SAMPLE_OPERATOR = Operator(
    name=NAME,
    inputs=INPUTS,
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
