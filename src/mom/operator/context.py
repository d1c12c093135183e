"""What one controller run receives: an explicit, frozen context and nothing ambient."""

from __future__ import annotations

from datetime import datetime
from random import Random
from typing import TYPE_CHECKING, Any

from mom.api.digest import sha256_hex
from mom.api.resources import GroupVersionResource
from mom.api.timestamps import rfc3339
from mom.api.values import Frozen
from mom.client.client import Client

if TYPE_CHECKING:
    import logging

EVENTS = GroupVersionResource("", "v1", "events")


class EventRecorder(Frozen):
    """Records Kubernetes Events the way library-go's recorder names and shapes them.

    Event names are ``<involved object>.<now as hex Unix nanoseconds>.<hash of type, reason and
    message>``, so a run at a fixed ``now`` produces the same events every time.
    """

    client: Client
    now: datetime
    component: str
    involved_object: dict[str, Any]

    __slots__ = ("client", "component", "involved_object", "now")

    def __init__(
        self,
        client: Client,
        now: datetime,
        component: str,
        involved_object: dict[str, Any],
    ) -> None:
        object.__setattr__(self, "client", client)
        object.__setattr__(self, "now", now)
        object.__setattr__(self, "component", component)
        object.__setattr__(self, "involved_object", involved_object)

    def event(self, event_type: str, reason: str, message: str) -> dict[str, Any]:
        namespace = str(self.involved_object.get("namespace", "") or "default")
        stamp = rfc3339(self.now)
        nanos = int(self.now.timestamp()) * 1_000_000_000 + self.now.microsecond * 1000
        digest = sha256_hex(f"{event_type}{reason}{message}".encode())[-8:]
        name = f"{self.involved_object.get('name', '')}.{nanos:x}.{digest}"
        body = {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {"creationTimestamp": None, "name": name, "namespace": namespace},
            "involvedObject": dict(self.involved_object),
            "reason": reason,
            "message": message,
            "source": {"component": self.component},
            "firstTimestamp": stamp,
            "lastTimestamp": stamp,
            "count": 1,
            "type": event_type,
            "eventTime": None,
            "reportingComponent": "",
            "reportingInstance": "",
        }
        return self.client.create(EVENTS, body)

    def normal(self, reason: str, message: str) -> dict[str, Any]:
        return self.event("Normal", reason, message)

    def warning(self, reason: str, message: str) -> dict[str, Any]:
        return self.event("Warning", reason, message)


class RunContext(Frozen):
    """Everything a controller may use during one run. ``client`` writes as this controller."""

    controller_name: str
    client: Client
    now: datetime
    random: Random
    log: logging.LoggerAdapter[logging.Logger]
    events: EventRecorder

    __slots__ = ("client", "controller_name", "events", "log", "now", "random")

    def __init__(
        self,
        controller_name: str,
        client: Client,
        now: datetime,
        random: Random,
        log: logging.LoggerAdapter[logging.Logger],
        events: EventRecorder,
    ) -> None:
        object.__setattr__(self, "controller_name", controller_name)
        object.__setattr__(self, "client", client)
        object.__setattr__(self, "now", now)
        object.__setattr__(self, "random", random)
        object.__setattr__(self, "log", log)
        object.__setattr__(self, "events", events)

    @property
    def now_rfc3339(self) -> str:
        return rfc3339(self.now)
