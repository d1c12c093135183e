"""kubectl Table output.

Covers: ages are printed like kubectl (s, m, h, d, y); the Accept header decides whether a
Table is wanted; a table has Name and Age columns, PartialObjectMetadata rows by default, the
whole object with includeObject=Object and none with includeObject=None; pods get Ready,
Status and Restarts, and IP, Node, Nominated Node and Readiness Gates for ``-o wide``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mom.api.resources import GroupVersionResource
from mom.mustgather.store import Snapshot
from mom.server.tables import columns_for, human_duration, render_table, wants_table

NOW = datetime(2024, 1, 10, tzinfo=UTC)
CM = {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "a", "creationTimestamp": "2024-01-07T00:00:00Z"},
}
POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "p", "creationTimestamp": "2024-01-09T23:59:00Z"},
    "spec": {"containers": [{"name": "a"}, {"name": "b"}]},
    "status": {
        "phase": "Running",
        "containerStatuses": [{"ready": True, "restartCount": 2}, {"ready": False}],
    },
}


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [
        (5, "5s"),
        (119, "119s"),
        (300, "5m"),
        (310, "5m10s"),
        (7200, "120m"),
        (3 * 3600 + 60, "3h1m"),
        (30 * 3600, "30h"),
        (3 * 86400, "3d"),
        (3 * 86400 + 3600, "3d1h"),
        (40 * 86400, "40d"),
        (800 * 86400, "2y70d"),
    ],
)
def test_ages_read_like_kubectl(seconds: int, shown: str) -> None:
    assert human_duration(seconds) == shown


def test_accept_header_decides() -> None:
    assert wants_table("application/json;as=Table;v=v1;g=meta.k8s.io,application/json")
    assert not wants_table("application/json")
    assert not wants_table("application/vnd.kubernetes.protobuf,application/json")


def test_configmap_table_with_metadata_rows() -> None:
    snapshot = Snapshot.from_objects([])
    columns = columns_for(snapshot, GroupVersionResource("", "v1", "serviceaccounts"))
    table = render_table(columns, [CM], NOW, "Metadata", "7")
    assert [c["name"] for c in table["columnDefinitions"]] == ["Name", "Age"]
    assert table["rows"] == [
        {
            "cells": ["a", "3d"],
            "object": {
                "kind": "PartialObjectMetadata",
                "apiVersion": "meta.k8s.io/v1",
                "metadata": CM["metadata"],
            },
        }
    ]
    assert render_table(columns, [CM], NOW, "Object", "7")["rows"][0]["object"] == CM
    assert "object" not in render_table(columns, [CM], NOW, "None", "7")["rows"][0]


def test_pod_columns() -> None:
    columns = columns_for(Snapshot.from_objects([]), GroupVersionResource("", "v1", "pods"))
    table = render_table(columns, [POD], NOW, "None", "1")
    shown = [c["name"] for c in table["columnDefinitions"] if c["priority"] == 0]
    wide = [c["name"] for c in table["columnDefinitions"] if c["priority"] == 1]
    assert shown == ["Name", "Ready", "Status", "Restarts", "Age"]
    assert wide == ["IP", "Node", "Nominated Node", "Readiness Gates"]
    assert table["rows"][0]["cells"] == [
        "p",
        "1/2",
        "Running",
        "2",
        "60s",
        "<none>",
        "<none>",
        "<none>",
        "<none>",
    ]
