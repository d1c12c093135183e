"""Helpers shared by the golden-harness tests: sample mutations and writing output trees.

A case's ``script`` is a dict: ``results`` (controller results), ``mutations`` (per output
sub-directory: Configuration, Management, UserWorkload, Unspecified; each a list of request
specs ``{action, group, version, resource, namespace, name, body, options, controller}``),
and the scripted operator's ``argv``/``sleep``/``exitCode``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from mom.api.cluster import Action
from mom.api.resources import GroupVersionResource, gvk_of
from mom.api.results import ControllerResults
from mom.mutationdir.directory import write_mutation_dir
from mom.mutationdir.requests import MutationRequest
from mom.serialization import dump_go_yaml

OPERATORS = Path(__file__).resolve().parent / "operators"
SCRIPT = OPERATORS / "scripted_operator.py"

CONFIGMAP_FOO: dict[str, Any] = {
    "action": "Create",
    "resource": "configmaps",
    "namespace": "openshift-authentication",
    "name": "foo",
    "controller": "op-Demo",
    "body": {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": "foo", "namespace": "openshift-authentication"},
        "data": {"counter": "1"},
    },
}
INGRESS: dict[str, Any] = {
    "action": "Create",
    "group": "config.openshift.io",
    "resource": "ingresses",
    "name": "cluster",
    "controller": "op-IngressCreator",
    "body": {"apiVersion": "config.openshift.io/v1", "kind": "Ingress", "metadata": {"name": "cluster"}},
}
RESULTS = [{"controllerName": "op-Demo", "status": "Succeeded"}]


def default_script() -> dict[str, Any]:
    return {
        "argv": True,
        "results": RESULTS,
        "mutations": {"Configuration": [INGRESS], "UserWorkload": [CONFIGMAP_FOO]},
    }


MakeCase = Callable[..., Path]


def request_of(spec: dict[str, Any]) -> MutationRequest:
    """The request a spec describes, bodies and options serialized Go-style."""
    action = Action(spec["action"])
    body = spec.get("body", {})
    options = spec.get("options")
    return MutationRequest(
        action=action,
        gvr=GroupVersionResource(spec.get("group", ""), spec.get("version", "v1"), spec["resource"]),
        namespace=spec.get("namespace", ""),
        name=spec.get("name", ""),
        generate_name=spec.get("generateName", ""),
        kind=None if action.is_patch else gvk_of(body),
        body=dump_go_yaml(body).encode("utf-8"),
        options=dump_go_yaml(options).encode("utf-8") if options else b"",
        field_manager=spec.get("fieldManager", ""),
        controller_instance_name=spec.get("controller", ""),
    )


def write_output(output_dir: Path, script: dict[str, Any]) -> None:
    """Write the apply-configuration output ``script`` describes."""
    output_dir.mkdir(parents=True, exist_ok=True)
    results = ControllerResults.from_wire({"controllerResults": script.get("results", [])})
    assert results is not None
    (output_dir / "controller-results.yaml").write_text(dump_go_yaml(results.to_wire()))
    for directory, specs in (script.get("mutations") or {}).items():
        write_mutation_dir(output_dir / directory, [request_of(spec) for spec in specs])
