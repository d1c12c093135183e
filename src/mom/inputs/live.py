"""A live cluster as an input source, through lightkube.

Owns: :class:`LiveSource`, an :class:`~mom.inputs.gather.InputSource` that answers GET and
LIST from a kube-apiserver chosen by a kubeconfig and context. lightkube is imported only when
a live source is created. Kinds come from mom's built-in discovery table plus what the server
returns: LIST of a resource mom does not know is refused, since the items would have no kind.
"""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput, MomError, NotFound
from mom.api.resources import GroupVersionResource
from mom.manifest.builtin_discovery import builtin_discovery
from mom.manifest.discovery import Discovery
from mom.manifest.selectors import FieldSelector, LabelSelector

Object = dict[str, Any]


class LiveSource:
    """Read-only access to a live cluster."""

    def __init__(
        self, kubeconfig: Path, context: str | None = None, discovery: Discovery | None = None
    ) -> None:
        from lightkube import Client
        from lightkube.config.kubeconfig import KubeConfig

        try:
            config = KubeConfig.from_file(kubeconfig).get(context_name=context)
        except Exception as exc:  # lightkube raises plain exceptions for bad files and contexts
            raise InvalidInput(str(kubeconfig), [f"cannot use kubeconfig: {exc}"]) from exc
        if config is None:
            raise InvalidInput(
                str(kubeconfig), [f"no context {context!r}" if context else "no current context"]
            )
        self._client = Client(config=config)
        self.discovery = discovery or builtin_discovery()

    def get(self, gvr: GroupVersionResource, namespace: str, name: str) -> Object:
        resource = self._resource(gvr, namespace)
        found: Object = self._call(gvr, lambda: self._client.get(resource, name, namespace=namespace or None))
        return found

    def list(
        self,
        gvr: GroupVersionResource,
        namespace: str = "",
        label_selector: LabelSelector | None = None,
        field_selector: FieldSelector | None = None,
    ) -> builtins.list[Object]:
        info = self.discovery.resource_info(gvr)
        if info is None:
            raise NotFound(f"unknown resource {gvr.group_resource} in version {gvr.api_version!r}")
        resource = self._resource(gvr, namespace)
        labels = _label_filter(label_selector)
        fields = _field_filter(field_selector)

        def fetch() -> builtins.list[Object]:
            items = self._client.list(resource, namespace=namespace or "*", labels=labels, fields=fields)
            return [_typed(_as_dict(item), gvr, info.kind) for item in items]

        found: builtins.list[Object] = self._call(gvr, fetch)
        return found

    def _resource(self, gvr: GroupVersionResource, namespace: str) -> Any:
        from lightkube import generic_resource

        info = self.discovery.resource_info(gvr)
        kind = info.kind if info is not None else "Object"
        namespaced = info.namespaced if info is not None else bool(namespace)
        create = (
            generic_resource.create_namespaced_resource
            if namespaced
            else generic_resource.create_global_resource
        )
        return create(gvr.group, gvr.version, kind, gvr.resource)

    @staticmethod
    def _call(gvr: GroupVersionResource, action: Any) -> Any:
        from lightkube import ApiError

        try:
            result = action()
        except ApiError as exc:
            if exc.status.code == 404:
                raise NotFound(f"{gvr.group_resource}: {exc.status.message}") from exc
            raise MomError(f"{gvr.group_resource}: {exc.status.message}") from exc
        except Exception as exc:
            if type(exc).__module__.split(".")[0] in ("httpx", "httpcore"):
                raise MomError(f"cannot reach the cluster: {exc}") from exc
            raise
        return result if isinstance(result, list) else _as_dict(result)


def _as_dict(obj: Any) -> Object:
    converted = obj.to_dict() if hasattr(obj, "to_dict") else obj
    return {str(key): value for key, value in dict(converted).items()}


def _label_filter(selector: LabelSelector | None) -> dict[str, Any] | None:
    """A selector in lightkube's form: label key to value, operator, or ``None`` for existence."""
    if selector is None or selector.is_everything:
        return None
    from lightkube import operators

    result: dict[str, Any] = {}
    for requirement in selector.requirements:
        values = requirement.values
        if requirement.operator == "=":
            result[requirement.key] = values[0]
        elif requirement.operator == "!=":
            result[requirement.key] = operators.not_equal(values[0])
        elif requirement.operator == "in":
            result[requirement.key] = operators.in_(values)
        elif requirement.operator == "notin":
            result[requirement.key] = operators.not_in(values)
        elif requirement.operator == "exists":
            result[requirement.key] = None
        else:
            result[requirement.key] = operators.not_exists()
    return result


def _field_filter(selector: FieldSelector | None) -> dict[str, Any] | None:
    if selector is None or selector.is_everything:
        return None
    from lightkube import operators

    return {
        term.field: term.value if term.operator == "=" else operators.not_equal(term.value)
        for term in selector.terms
    }


def _typed(obj: Object, gvr: GroupVersionResource, kind: str) -> Object:
    """List items come without ``apiVersion``/``kind``; put them back as stored objects have them."""
    obj.setdefault("apiVersion", gvr.api_version)
    obj.setdefault("kind", kind)
    return obj
