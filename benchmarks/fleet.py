"""Building the benchmark worlds: manifest directories and manager configurations, in a temp dir.

* :func:`build_standalone` — one standalone cluster: the slice of the real aws must-gather that
  the operand operators watch (Namespaces, Deployments, ConfigMaps, the config.openshift.io
  Ingresses and ClusterOperators), plus one operand namespace per operator (a Deployment and
  the ConfigMap it mounts). Daemons and mom read this same directory.
* :func:`build_hypershift` — one management cluster holding N copies of the real hosted
  control plane (``hypershift-hcp``, about 240 objects), namespace ``hcp-namespace`` renamed to
  ``clusters-<i>``, every object marked with the operand namespace it belongs to; plus N small
  guest clusters (config.openshift.io Ingress, OAuth, Authentication, ClusterOperators).

Real data is read in place and written only below the directory given.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from benchmarks.operands import HCP_COMPONENTS, OperandSpec, hcp_spec, reference_of, standalone_spec
from mom.manager.topology import ORIGIN_ANNOTATION
from mom.serialization import dump_go_yaml, dump_json, load_document

REPO = Path(__file__).resolve().parents[1]
REALDATA = Path(os.environ.get("MOM_REALDATA_DIR") or REPO.parent / "shared" / "realdata")
"""The real cluster data: ``MOM_REALDATA_DIR``, else ``../shared/realdata``."""
HCP_NAMESPACE = "hcp-namespace"
WATCHED_FILES = ("apps/deployments.yaml", "core/configmaps.yaml")
WATCHED_CONFIG = ("ingresses.yaml", "clusteroperators.yaml")

Object = dict[str, Any]


def _text(obj: object, file_format: str) -> str:
    """A file's content: Go-style YAML, or JSON (which every must-gather reader accepts)."""
    return dump_go_yaml(obj) if file_format == "yaml" else dump_json(obj, indent=True).decode()


def _write(path: Path, obj: object, file_format: str = "yaml") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_text(obj, file_format))


def _namespace(name: str) -> Object:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def _config(
    root: Path,
    operators: list[OperandSpec],
    clusters: list[Object],
    instances: list[Object],
    resync: float | None,
) -> Path:
    """The manager's configuration; ``resync`` None leaves mom's default."""
    extra = {} if resync is None else {"resync": resync}
    document = {
        "journal": "state/journal.sqlite",
        "concurrency": 4,
        "operators": [{"name": s.name, "python": reference_of(s), **extra} for s in operators],
        "clusters": clusters,
        "instances": instances,
    }
    path = root / "mom.yaml"
    path.write_bytes(dump_json(document, indent=True))
    return path


# The standalone world (part a)


def _operand_objects(spec: OperandSpec) -> tuple[Object, Object]:
    labels = {"app": spec.deployment}
    deployment = {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": spec.deployment, "namespace": spec.namespace, "labels": labels},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [
                        {
                            "name": spec.name,
                            "image": f"quay.io/example/{spec.name}:1.0",
                            "volumeMounts": [{"name": "config", "mountPath": "/etc/config"}],
                        }
                    ],
                    "volumes": [{"name": "config", "configMap": {"name": spec.reference}}],
                },
            },
        },
        "status": {"replicas": 2, "updatedReplicas": 2, "availableReplicas": 2, "readyReplicas": 2},
    }
    config_map = {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": spec.reference, "namespace": spec.namespace},
        "data": {"config.yaml": f"operand: {spec.name}\nlogLevel: Normal\n"},
    }
    return deployment, config_map


def resource_root(must_gather: Path) -> Path:
    """The directory of an unpacked must-gather that holds ``namespaces/`` (up to two levels down)."""
    for candidate in (must_gather, *must_gather.glob("*"), *must_gather.glob("*/*")):
        if (candidate / "namespaces").is_dir():
            return candidate
    raise FileNotFoundError(f"no namespaces/ directory below {must_gather}")


def _copy(source: Path, target: Path, file_format: str) -> None:
    """Copy a must-gather file, re-encoded as JSON when ``file_format`` asks for it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if file_format == "yaml":
        shutil.copyfile(source, target)
    else:
        _write(target, load_document(source.read_bytes(), str(source)), file_format)


def build_standalone(
    root: Path,
    must_gather: Path,
    operators: int,
    *,
    resync: float | None = None,
    file_format: str = "yaml",
) -> Path:
    """A standalone cluster for ``operators`` operand operators; returns the manager config.

    ``file_format`` is how the cluster's files are written (the real YAML must-gather files are
    re-encoded for ``json``), and how mom is configured to write them.
    """
    source = resource_root(must_gather)
    cluster = root / "cluster"
    for namespace_dir in sorted((source / "namespaces").iterdir()):
        target = cluster / "namespaces" / namespace_dir.name
        for relative in (f"{namespace_dir.name}.yaml", *WATCHED_FILES):
            if (namespace_dir / relative).is_file():
                _copy(namespace_dir / relative, target / relative, file_format)
    config_dir = cluster / "cluster-scoped-resources" / "config.openshift.io"
    for name in WATCHED_CONFIG:
        _copy(
            source / "cluster-scoped-resources" / "config.openshift.io" / name, config_dir / name, file_format
        )
    specs = [standalone_spec(index) for index in range(operators)]
    for spec in specs:
        deployment, config_map = _operand_objects(spec)
        base = cluster / "namespaces" / spec.namespace
        _write(base / f"{spec.namespace}.yaml", _namespace(spec.namespace), file_format)
        _write(base / "apps" / "deployments" / f"{spec.deployment}.yaml", deployment, file_format)
        _write(base / "core" / "configmaps" / f"{spec.reference}.yaml", config_map, file_format)
        _write(
            config_dir / "clusteroperators" / f"{spec.name}.yaml", _cluster_operator(spec.name), file_format
        )
    clusters = [{"name": "cluster", "manifestDir": "cluster", "format": file_format}]
    instances = [{"name": "cluster", "topology": "Standalone", "cluster": "cluster"}]
    return _config(root, specs, clusters, instances, resync)


# The HyperShift world (parts b and c)


def _plural(kind: str) -> str:
    return kind.lower() + ("es" if kind.endswith("s") else "s")


def hcp_objects(hcp_dir: Path) -> list[Object]:
    """Every object of the hosted control plane test data, read in place."""
    objects = []
    for path in sorted(hcp_dir.rglob("*.yaml")):
        document = load_document(path.read_bytes(), str(path))
        if isinstance(document, dict) and document.get("kind"):
            objects.append(document)
    return objects


def _owners(specs: list[OperandSpec]) -> dict[tuple[str, str], str]:
    """(kind, name) -> the operand namespace of the operator that reads the object."""
    owners: dict[tuple[str, str], str] = {}
    for spec in specs:
        owners[("Deployment", spec.deployment)] = spec.namespace
        owners[("ConfigMap" if spec.reference_resource == "configmaps" else "Secret", spec.reference)] = (
            spec.namespace
        )
    return owners


def _templates(
    objects: list[Object], owners: dict[tuple[str, str], str], file_format: str
) -> list[tuple[str, str]]:
    """(relative path, file text) per object, still in ``hcp-namespace``, marked with its origin."""
    templates = []
    for obj in objects:
        metadata = obj.setdefault("metadata", {})
        kind, name = str(obj["kind"]), str(metadata["name"])
        origin = owners.get((kind, name), f"openshift-{name}")
        metadata["annotations"] = {**(metadata.get("annotations") or {}), ORIGIN_ANNOTATION: origin}
        group = str(obj.get("apiVersion", "v1")).rpartition("/")[0] or "core"
        templates.append((f"{group}/{_plural(kind)}/{name}.yaml", _text(obj, file_format)))
    return templates


def _cluster_operator(name: str) -> Object:
    """A ClusterOperator as the cluster version operator creates it: no status yet."""
    return {"apiVersion": "config.openshift.io/v1", "kind": "ClusterOperator", "metadata": {"name": name}}


def _guest(root: Path, name: str, specs: list[OperandSpec], file_format: str) -> None:
    config = root / "cluster-scoped-resources" / "config.openshift.io"

    def singleton(kind: str, spec: Object) -> Object:
        item = {
            "apiVersion": "config.openshift.io/v1",
            "kind": kind,
            "metadata": {"name": "cluster"},
            "spec": spec,
        }
        return {"apiVersion": "config.openshift.io/v1", "kind": f"{kind}List", "items": [item]}

    _write(
        config / "ingresses.yaml", singleton("Ingress", {"domain": f"apps.{name}.example.com"}), file_format
    )
    _write(config / "oauths.yaml", singleton("OAuth", {"identityProviders": []}), file_format)
    _write(
        config / "authentications.yaml", singleton("Authentication", {"type": "IntegratedOAuth"}), file_format
    )
    for spec in specs:
        _write(
            config / "clusteroperators" / f"{spec.name}.yaml",
            {
                "apiVersion": "config.openshift.io/v1",
                "kind": "ClusterOperator",
                "metadata": {"name": spec.name},
            },
            file_format,
        )


def build_hypershift(
    root: Path,
    hosted: int,
    *,
    hcp_dir: Path | None = None,
    resync: float | None = None,
    file_format: str = "yaml",
) -> Path:
    """A management cluster with ``hosted`` hosted control planes and their guests; returns the config.

    ``file_format`` is how the world's files are written, and how mom is configured to write them.
    """
    hcp_dir = hcp_dir or REALDATA / "hypershift-hcp"
    specs = [hcp_spec(component) for component, _, _ in HCP_COMPONENTS]
    templates = _templates(hcp_objects(hcp_dir), _owners(specs), file_format)
    management = root / "management"
    clusters: list[Object] = [{"name": "management", "manifestDir": "management", "format": file_format}]
    instances: list[Object] = []
    for index in range(hosted):
        namespace, name = f"clusters-{index}", f"hosted-{index}"
        base = management / "namespaces" / namespace
        _write(base / f"{namespace}.yaml", _namespace(namespace), file_format)
        for relative, text in templates:
            path = base / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text.replace(HCP_NAMESPACE, namespace))
        _guest(root / "guests" / name, name, specs, file_format)
        clusters.append({"name": name, "manifestDir": f"guests/{name}", "format": file_format})
        instances.append(
            {
                "name": name,
                "topology": "HyperShift",
                "management": "management",
                "guest": name,
                "hostedControlPlaneNamespace": namespace,
                "operandNamespaces": [spec.namespace for spec in specs],
            }
        )
    return _config(root, specs, clusters, instances, resync)
