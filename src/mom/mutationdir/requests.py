"""One recorded write request: what a mutation directory stores per request (FORMATS.md §2.3)."""

from __future__ import annotations

from typing import Any

from mom.api.cluster import Action
from mom.api.errors import InvalidInput
from mom.api.resources import GroupVersionKind, GroupVersionResource
from mom.api.values import Frozen
from mom.serialization import load_document


class MutationRequest(Frozen):
    """A write as recorded: identity, routing metadata, and the exact body/options bytes.

    ``body`` and ``options`` are the bytes of the files (Go-compatible YAML, or the raw bytes of
    a merge/strategic-merge patch); comparison is byte-exact, as in the Go harness.
    ``kind`` is read from the body for non-patch actions and is ``None`` for patches.
    """

    action: Action
    gvr: GroupVersionResource
    namespace: str
    name: str
    generate_name: str
    kind: GroupVersionKind | None
    body: bytes
    options: bytes
    patch_type: str
    field_manager: str
    controller_instance_name: str
    decoded_body: Any
    """The body already decoded, when whoever built the request had it (never compared)."""
    decoded_options: dict[str, Any] | None

    _uncompared = ("decoded_body", "decoded_options")
    __slots__ = (
        "action",
        "body",
        "controller_instance_name",
        "decoded_body",
        "decoded_options",
        "field_manager",
        "generate_name",
        "gvr",
        "kind",
        "name",
        "namespace",
        "options",
        "patch_type",
    )

    def __init__(
        self,
        action: Action,
        gvr: GroupVersionResource,
        namespace: str,
        name: str,
        generate_name: str,
        kind: GroupVersionKind | None,
        body: bytes,
        options: bytes = b"",
        patch_type: str = "",
        field_manager: str = "",
        controller_instance_name: str = "",
        decoded_body: Any = None,
        decoded_options: dict[str, Any] | None = None,
    ) -> None:
        object.__setattr__(self, "action", action)
        object.__setattr__(self, "gvr", gvr)
        object.__setattr__(self, "namespace", namespace)
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "generate_name", generate_name)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "body", body)
        object.__setattr__(self, "options", options)
        object.__setattr__(self, "patch_type", patch_type)
        object.__setattr__(self, "field_manager", field_manager)
        object.__setattr__(self, "controller_instance_name", controller_instance_name)
        object.__setattr__(self, "decoded_body", decoded_body)
        object.__setattr__(self, "decoded_options", decoded_options)

    def body_document(self) -> Any:
        """The decoded body; decoded once and kept. Callers must not modify it (copy first)."""
        if self.decoded_body is None and self.body.strip():
            object.__setattr__(self, "decoded_body", _decode(self.body, self.identity))
        return self.decoded_body

    def options_document(self) -> dict[str, Any]:
        """The metav1 options as a mapping (``{}`` when there are none); decoded once and kept."""
        if self.decoded_options is not None:
            return self.decoded_options
        decoded: Any = load_document(self.options, f"{self.identity} options") if self.options.strip() else {}
        if not isinstance(decoded, dict):
            raise InvalidInput(f"{self.identity} options", ["must be a mapping of metav1 options"])
        object.__setattr__(self, "decoded_options", decoded)
        return decoded

    @property
    def identity(self) -> str:
        """The id the Go harness prints: ``<Action>-<Kind>.<Version>.<Group>/<name><generateName>[<ns>]``."""
        kind = self.kind.kind if self.kind else ""
        version = self.kind.version if self.kind else self.gvr.version
        group = self.kind.group if self.kind else self.gvr.group
        return (
            f"{self.action.value}-{kind}.{version}.{group}/{self.name}{self.generate_name}[{self.namespace}]"
        )

    def equality_key(self) -> tuple[Any, ...]:
        """Everything the Go comparison looks at; file names and ordering are not part of it."""
        return (
            self.action,
            self.patch_type,
            self.field_manager,
            self.controller_instance_name,
            self.gvr,
            self.kind,
            self.namespace,
            self.name,
            self.generate_name,
            self.body,
            self.options,
        )

    def metadata_key(self) -> tuple[Any, ...]:
        """What the metadata file says (used to pair up near-misses in diffs)."""
        return (
            self.action,
            self.patch_type,
            self.field_manager,
            self.controller_instance_name,
            self.gvr,
            self.namespace,
            self.name,
            self.generate_name,
        )

    def metadata_wire(self) -> dict[str, Any]:
        """The metadata file's document, keys as the current Go code writes them."""
        wire: dict[str, Any] = {
            "action": self.action.value,
            "controllerInstanceName": self.controller_instance_name,
            "generateName": self.generate_name,
            "name": self.name,
            "resourceType": {
                "Group": self.gvr.group,
                "Resource": self.gvr.resource,
                "Version": self.gvr.version,
            },
        }
        if self.field_manager:
            wire["fieldManager"] = self.field_manager
        if self.namespace:
            wire["namespace"] = self.namespace
        if self.patch_type:
            wire["patchType"] = self.patch_type
        return wire


def _decode(body: bytes, source: str) -> Any:
    return load_document(body, f"{source} body")
