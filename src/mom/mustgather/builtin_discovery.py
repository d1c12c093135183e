"""mom's own table of well-known Kubernetes and OpenShift resources, and discovery from objects.

Owns: the built-in discovery used when a tree has no ``aggregated-discovery-*.yaml`` (each
group's preferred version listed first), and :func:`discovery_for_objects`, which layers what
a tree's objects say (group and resource from where they are, kind and version from the
objects, scope from namespaced or cluster location) over that table; and which resources have
no ``status`` subresource (:data:`WITHOUT_STATUS`, :func:`has_status_subresource`), the one
table every writer and every RBAC rule consults.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from typing import Any

from mom.api.resources import GroupVersionResource, ObjectRef, gvk_of
from mom.mustgather.discovery import Discovery, ResourceInfo

# (apiVersion, namespaced resources, cluster-scoped resources); entry = resource:Kind[/short,...]
_TABLE: tuple[tuple[str, str, str], ...] = (
    (
        "v1",
        "bindings:Binding configmaps:ConfigMap/cm endpoints:Endpoints/ep events:Event/ev"
        " limitranges:LimitRange/limits persistentvolumeclaims:PersistentVolumeClaim/pvc pods:Pod/po"
        " podtemplates:PodTemplate replicationcontrollers:ReplicationController/rc"
        " resourcequotas:ResourceQuota/quota secrets:Secret serviceaccounts:ServiceAccount/sa"
        " services:Service/svc",
        "componentstatuses:ComponentStatus/cs namespaces:Namespace/ns nodes:Node/no"
        " persistentvolumes:PersistentVolume/pv",
    ),
    (
        "apps/v1",
        "controllerrevisions:ControllerRevision daemonsets:DaemonSet/ds deployments:Deployment/deploy"
        " replicasets:ReplicaSet/rs statefulsets:StatefulSet/sts",
        "",
    ),
    ("batch/v1", "cronjobs:CronJob/cj jobs:Job", ""),
    ("autoscaling/v2", "horizontalpodautoscalers:HorizontalPodAutoscaler/hpa", ""),
    ("autoscaling/v1", "horizontalpodautoscalers:HorizontalPodAutoscaler/hpa", ""),
    ("policy/v1", "poddisruptionbudgets:PodDisruptionBudget/pdb", ""),
    (
        "rbac.authorization.k8s.io/v1",
        "rolebindings:RoleBinding roles:Role",
        "clusterrolebindings:ClusterRoleBinding clusterroles:ClusterRole",
    ),
    ("apiextensions.k8s.io/v1", "", "customresourcedefinitions:CustomResourceDefinition/crd,crds"),
    ("apiregistration.k8s.io/v1", "", "apiservices:APIService"),
    (
        "admissionregistration.k8s.io/v1",
        "",
        "mutatingwebhookconfigurations:MutatingWebhookConfiguration"
        " validatingwebhookconfigurations:ValidatingWebhookConfiguration"
        " validatingadmissionpolicies:ValidatingAdmissionPolicy"
        " validatingadmissionpolicybindings:ValidatingAdmissionPolicyBinding",
    ),
    (
        "networking.k8s.io/v1",
        "ingresses:Ingress/ing networkpolicies:NetworkPolicy/netpol",
        "ingressclasses:IngressClass",
    ),
    ("discovery.k8s.io/v1", "endpointslices:EndpointSlice", ""),
    (
        "storage.k8s.io/v1",
        "csistoragecapacities:CSIStorageCapacity",
        "csidrivers:CSIDriver csinodes:CSINode storageclasses:StorageClass/sc"
        " volumeattachments:VolumeAttachment",
    ),
    ("coordination.k8s.io/v1", "leases:Lease", ""),
    ("events.k8s.io/v1", "events:Event/ev", ""),
    ("certificates.k8s.io/v1", "", "certificatesigningrequests:CertificateSigningRequest/csr"),
    ("scheduling.k8s.io/v1", "", "priorityclasses:PriorityClass/pc"),
    ("node.k8s.io/v1", "", "runtimeclasses:RuntimeClass"),
    (
        "flowcontrol.apiserver.k8s.io/v1",
        "",
        "flowschemas:FlowSchema prioritylevelconfigurations:PriorityLevelConfiguration",
    ),
    ("migration.k8s.io/v1alpha1", "", "storageversionmigrations:StorageVersionMigration"),
    (
        "snapshot.storage.k8s.io/v1",
        "volumesnapshots:VolumeSnapshot",
        "volumesnapshotclasses:VolumeSnapshotClass volumesnapshotcontents:VolumeSnapshotContent",
    ),
    (
        "config.openshift.io/v1",
        "",
        "apiservers:APIServer authentications:Authentication builds:Build clusteroperators:ClusterOperator/co"
        " clusterversions:ClusterVersion consoles:Console dnses:DNS featuregates:FeatureGate images:Image"
        " imagecontentpolicies:ImageContentPolicy imagedigestmirrorsets:ImageDigestMirrorSet"
        " imagetagmirrorsets:ImageTagMirrorSet infrastructures:Infrastructure ingresses:Ingress"
        " networks:Network nodes:Node oauths:OAuth operatorhubs:OperatorHub projects:Project proxies:Proxy"
        " schedulers:Scheduler",
    ),
    (
        "operator.openshift.io/v1",
        "ingresscontrollers:IngressController",
        "authentications:Authentication cloudcredentials:CloudCredential clustercsidrivers:ClusterCSIDriver"
        " configs:Config consoles:Console csisnapshotcontrollers:CSISnapshotController dnses:DNS etcds:Etcd"
        " insightsoperators:InsightsOperator kubeapiservers:KubeAPIServer"
        " kubecontrollermanagers:KubeControllerManager kubeschedulers:KubeScheduler"
        " kubestorageversionmigrators:KubeStorageVersionMigrator machineconfigurations:MachineConfiguration"
        " networks:Network openshiftapiservers:OpenShiftAPIServer"
        " openshiftcontrollermanagers:OpenShiftControllerManager servicecas:ServiceCA"
        " storages:Storage",
    ),
    ("operator.openshift.io/v1alpha1", "", "imagecontentsourcepolicies:ImageContentSourcePolicy"),
    (
        "controlplane.operator.openshift.io/v1alpha1",
        "podnetworkconnectivitychecks:PodNetworkConnectivityCheck",
        "",
    ),
    ("imageregistry.operator.openshift.io/v1", "", "configs:Config imagepruners:ImagePruner"),
    ("samples.operator.openshift.io/v1", "", "configs:Config"),
    ("ingress.operator.openshift.io/v1", "dnsrecords:DNSRecord", ""),
    ("cloudcredential.openshift.io/v1", "credentialsrequests:CredentialsRequest", ""),
    ("apiserver.openshift.io/v1", "", "apirequestcounts:APIRequestCount"),
    (
        "oauth.openshift.io/v1",
        "",
        "oauthaccesstokens:OAuthAccessToken oauthauthorizetokens:OAuthAuthorizeToken"
        " oauthclientauthorizations:OAuthClientAuthorization oauthclients:OAuthClient"
        " useroauthaccesstokens:UserOAuthAccessToken",
    ),
    ("user.openshift.io/v1", "", "groups:Group identities:Identity users:User"),
    ("route.openshift.io/v1", "routes:Route", ""),
    ("apps.openshift.io/v1", "deploymentconfigs:DeploymentConfig/dc", ""),
    ("build.openshift.io/v1", "buildconfigs:BuildConfig/bc builds:Build", ""),
    (
        "image.openshift.io/v1",
        "imagestreams:ImageStream/is imagestreamtags:ImageStreamTag/istag",
        "images:Image",
    ),
    ("project.openshift.io/v1", "", "projects:Project"),
    ("quota.openshift.io/v1", "", "clusterresourcequotas:ClusterResourceQuota"),
    ("template.openshift.io/v1", "templates:Template templateinstances:TemplateInstance", ""),
    (
        "security.openshift.io/v1",
        "",
        "rangeallocations:RangeAllocation securitycontextconstraints:SecurityContextConstraints/scc",
    ),
    (
        "network.openshift.io/v1",
        "egressnetworkpolicies:EgressNetworkPolicy netnamespaces:NetNamespace",
        "clusternetworks:ClusterNetwork hostsubnets:HostSubnet",
    ),
    ("network.operator.openshift.io/v1", "operatorpkis:OperatorPKI", "egressrouters:EgressRouter"),
    ("cloud.network.openshift.io/v1", "", "cloudprivateipconfigs:CloudPrivateIPConfig"),
    (
        "monitoring.coreos.com/v1",
        "alertmanagers:Alertmanager podmonitors:PodMonitor probes:Probe prometheuses:Prometheus"
        " prometheusrules:PrometheusRule servicemonitors:ServiceMonitor thanosrulers:ThanosRuler",
        "",
    ),
    ("monitoring.coreos.com/v1beta1", "alertmanagerconfigs:AlertmanagerConfig", ""),
    (
        "machineconfiguration.openshift.io/v1",
        "",
        "containerruntimeconfigs:ContainerRuntimeConfig controllerconfigs:ControllerConfig"
        " kubeletconfigs:KubeletConfig machineconfigpools:MachineConfigPool/mcp"
        " machineconfigs:MachineConfig/mc",
    ),
    (
        "machine.openshift.io/v1beta1",
        "machinehealthchecks:MachineHealthCheck/mhc machines:Machine machinesets:MachineSet",
        "",
    ),
    ("machine.openshift.io/v1", "controlplanemachinesets:ControlPlaneMachineSet", ""),
    ("autoscaling.openshift.io/v1", "", "clusterautoscalers:ClusterAutoscaler"),
    ("autoscaling.openshift.io/v1beta1", "machineautoscalers:MachineAutoscaler", ""),
    ("tuned.openshift.io/v1", "profiles:Profile tuneds:Tuned", ""),
    (
        "operators.coreos.com/v1alpha1",
        "catalogsources:CatalogSource clusterserviceversions:ClusterServiceVersion/csv"
        " installplans:InstallPlan subscriptions:Subscription/sub",
        "",
    ),
    ("operators.coreos.com/v1", "operatorgroups:OperatorGroup", "olmconfigs:OLMConfig operators:Operator"),
    ("operators.coreos.com/v2", "operatorconditions:OperatorCondition", ""),
    (
        "console.openshift.io/v1",
        "",
        "consoleclidownloads:ConsoleCLIDownload consolelinks:ConsoleLink"
        " consolenotifications:ConsoleNotification consoleplugins:ConsolePlugin"
        " consolequickstarts:ConsoleQuickStart consoleyamlsamples:ConsoleYAMLSample",
    ),
    ("metal3.io/v1alpha1", "baremetalhosts:BareMetalHost/bmh provisionings:Provisioning", ""),
    ("k8s.ovn.org/v1", "egressqoses:EgressQoS", "egressfirewalls:EgressFirewall egressips:EgressIP"),
    ("k8s.cni.cncf.io/v1", "network-attachment-definitions:NetworkAttachmentDefinition/net-attach-def", ""),
    (
        "helm.openshift.io/v1beta1",
        "projecthelmchartrepositories:ProjectHelmChartRepository",
        "helmchartrepositories:HelmChartRepository",
    ),
    ("monitoring.openshift.io/v1", "alertingrules:AlertingRule alertrelabelconfigs:AlertRelabelConfig", ""),
)


WITHOUT_STATUS: frozenset[tuple[str, str]] = frozenset(
    [("", r) for r in ("bindings", "componentstatuses", "configmaps", "endpoints", "events")]
    + [("", r) for r in ("limitranges", "podtemplates", "secrets", "serviceaccounts")]
    + [("admissionregistration.k8s.io", r + "webhookconfigurations") for r in ("mutating", "validating")]
    + [("admissionregistration.k8s.io", "validatingadmissionpolicybindings")]
    + [("apps", "controllerrevisions"), ("coordination.k8s.io", "leases")]
    + [("discovery.k8s.io", "endpointslices"), ("events.k8s.io", "events")]
    + [("networking.k8s.io", r) for r in ("ingressclasses", "ipaddresses", "networkpolicies")]
    + [("node.k8s.io", "runtimeclasses"), ("scheduling.k8s.io", "priorityclasses")]
    + [
        ("rbac.authorization.k8s.io", r)
        for r in ("roles", "rolebindings", "clusterroles", "clusterrolebindings")
    ]
    + [("resource.k8s.io", r) for r in ("deviceclasses", "resourceclaimtemplates", "resourceslices")]
    + [("storage.k8s.io", r) for r in ("csidrivers", "csinodes", "csistoragecapacities")]
    + [("storage.k8s.io", r) for r in ("storageclasses", "volumeattributesclasses")]
    + [("oauth.openshift.io", "oauthclients")]
)
"""(group, resource) of the stored resources served without a ``/status`` subresource: every
Kubernetes 1.34 resource that accepts updates and lists no ``<resource>/status`` in discovery,
plus OpenShift's OAuthClients (no status at all). Every other resource, custom ones included,
is taken to have one."""


def has_status_subresource(gvr: GroupVersionResource) -> bool:
    """Whether ``gvr`` is served with a ``status`` subresource (see :data:`WITHOUT_STATUS`)."""
    return (gvr.group, gvr.resource) not in WITHOUT_STATUS


def _entries(api_version: str, text: str, namespaced: bool) -> list[ResourceInfo]:
    group, _, version = api_version.rpartition("/")
    infos = []
    for entry in text.split():
        resource, kind_part = entry.split(":")
        kind, _, shorts = kind_part.partition("/")
        infos.append(
            ResourceInfo(
                gvr=GroupVersionResource(group, version, resource),
                kind=kind,
                namespaced=namespaced,
                short_names=tuple(shorts.split(",")) if shorts else (),
                singular=kind.lower(),
            )
        )
    return infos


@cache
def builtin_discovery() -> Discovery:
    """The well-known resources mom serves when a tree brings no discovery of its own."""
    infos: list[ResourceInfo] = []
    for api_version, namespaced, cluster in _TABLE:
        infos.extend(_entries(api_version, namespaced, True))
        infos.extend(_entries(api_version, cluster, False))
    return Discovery(infos)


def observed_resources(objects: Iterable[tuple[ObjectRef, dict[str, Any]]]) -> list[ResourceInfo]:
    """One :class:`ResourceInfo` per resource and version the objects show, in first-seen order."""
    base = builtin_discovery()
    seen: dict[GroupVersionResource, ResourceInfo] = {}
    for ref, obj in objects:
        gvk = gvk_of(obj)
        gvr = GroupVersionResource(ref.gvr.group, gvk.version or ref.gvr.version, ref.gvr.resource)
        if gvr in seen or not gvk.kind:
            continue
        known = base.resource_info(gvr)
        namespaced = known.namespaced if known is not None else bool(ref.namespace)
        if ref.gvr.is_namespaces:
            namespaced = False
        seen[gvr] = ResourceInfo(
            gvr=gvr,
            kind=gvk.kind,
            namespaced=namespaced,
            short_names=known.short_names if known is not None else (),
            singular=gvk.kind.lower(),
        )
    return list(seen.values())


def discovery_for_objects(objects: Iterable[tuple[ObjectRef, dict[str, Any]]]) -> Discovery:
    """What the objects show, merged over :func:`builtin_discovery`."""
    return Discovery(observed_resources(objects)).merged_over(builtin_discovery())
