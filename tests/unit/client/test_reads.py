"""Noting reads on their way through a transport.

Covers: GETs and LISTs (with their label and field selectors) are noted with the controller
instance the request names, in order, and answered exactly as the wrapped transport answers;
a GET of an absent object is noted too; writes, watches and discovery requests pass through
unnoted, and the writes still reach the recorder; transports sharing a log fill it together.
"""

from __future__ import annotations

from mom.api.resources import GroupVersionResource, ObjectRef
from mom.client.client import Client
from mom.client.messages import ApiRequest
from mom.client.paths import ResourcePath
from mom.client.reads import Read, ReadLog, ReadTracingTransport
from mom.client.recorder import MutationRecorder
from mom.client.transport import CONTROLLER_HEADER, SnapshotTransport
from mom.mustgather.store import Snapshot

CONFIGMAPS = GroupVersionResource("", "v1", "configmaps")


def snapshot() -> Snapshot:
    body = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "a", "namespace": "demo"}}
    return Snapshot.from_objects([(ObjectRef(CONFIGMAPS, "demo", "a"), body)])


def test_reads_are_noted_with_their_controller_and_selectors() -> None:
    log = ReadLog()
    recorder = MutationRecorder()
    inner = SnapshotTransport(snapshot(), recorder)
    one = Client(ReadTracingTransport(inner, log), headers={CONTROLLER_HEADER: "op-One"})
    two = Client(ReadTracingTransport(inner, log), headers={CONTROLLER_HEADER: "op-Two"})

    assert one.get(CONFIGMAPS, "a", "demo")["metadata"]["name"] == "a"
    assert one.get_or_none(CONFIGMAPS, "absent", "demo") is None
    assert [o["metadata"]["name"] for o in two.list(CONFIGMAPS, "demo", label_selector="app=x")] == []
    two.list(CONFIGMAPS, field_selector="metadata.name=a")
    two.create(
        CONFIGMAPS, {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b", "namespace": "demo"}}
    )
    inner_client = Client(ReadTracingTransport(inner, log))
    inner_client.list(CONFIGMAPS, "demo")  # no controller named: noted with an empty one
    assert [r.identity for r in recorder.requests] == ["Create-ConfigMap.v1./b[demo]"]

    assert log.reads == (
        Read("op-One", ResourcePath(CONFIGMAPS, "demo", "a")),
        Read("op-One", ResourcePath(CONFIGMAPS, "demo", "absent")),
        Read("op-Two", ResourcePath(CONFIGMAPS, "demo"), label_selector="app=x"),
        Read("op-Two", ResourcePath(CONFIGMAPS), field_selector="metadata.name=a"),
        Read("", ResourcePath(CONFIGMAPS, "demo")),
    )
    assert [read.is_list for read in log.reads] == [False, False, True, True, True]


def test_watches_and_discovery_are_not_reads_of_objects() -> None:
    log = ReadLog()
    transport = ReadTracingTransport(SnapshotTransport(snapshot(), MutationRecorder()), log)
    assert (
        transport.handle(ApiRequest("GET", "/api/v1/namespaces/demo/configmaps", (("watch", "true"),))).status
        == 200
    )
    assert transport.handle(ApiRequest("GET", "/api/v1")).status == 200
    assert transport.handle(ApiRequest("GET", "/version")).status == 200
    assert log.reads == ()
