"""Cluster types (where an output goes) and mutation actions (what a write was)."""

from __future__ import annotations

from enum import StrEnum


class ClusterType(StrEnum):
    """Where an operator routes an output; the topology maps each to a physical cluster."""

    CONFIGURATION = "Configuration"
    MANAGEMENT = "Management"
    USER_WORKLOAD = "UserWorkload"


CLUSTER_TYPES: tuple[ClusterType, ...] = (
    ClusterType.CONFIGURATION,
    ClusterType.MANAGEMENT,
    ClusterType.USER_WORKLOAD,
)
"""The cluster types in the order the Go comparison walks them."""

UNSPECIFIED_DIR = "Unspecified"
"""Directory of an apply-configuration output holding mutations no declared output allows."""


class Action(StrEnum):
    """A recorded write; the value is the directory name in a mutation directory."""

    APPLY = "Apply"
    APPLY_STATUS = "ApplyStatus"
    CREATE = "Create"
    DELETE = "Delete"
    PATCH = "Patch"
    PATCH_STATUS = "PatchStatus"
    UPDATE = "Update"
    UPDATE_STATUS = "UpdateStatus"

    @property
    def is_patch(self) -> bool:
        return self in (Action.PATCH, Action.PATCH_STATUS)

    @property
    def is_apply(self) -> bool:
        return self in (Action.APPLY, Action.APPLY_STATUS)

    @property
    def on_status(self) -> bool:
        return self in (Action.APPLY_STATUS, Action.PATCH_STATUS, Action.UPDATE_STATUS)


ALL_ACTIONS: tuple[Action, ...] = tuple(sorted(Action, key=lambda a: a.value))
