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
LOGGER = "mom.operator.run"
"""The logger every controller's :class:`ControllerLog` logs to."""


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


class ControllerLog:
    """A controller's logger: ``logging.LoggerAdapter`` of the ``mom.operator.run`` logger with the
    controller's name as ``extra``, made on first use. Loading :mod:`logging` costs an operator
    run as a subprocess more than a run's own work, and most runs log nothing."""

    __slots__ = ("_adapter", "controller")

    def __init__(self, controller: str) -> None:
        self.controller = controller
        self._adapter: logging.LoggerAdapter[logging.Logger] | None = None

    def adapter(self) -> logging.LoggerAdapter[logging.Logger]:
        if self._adapter is None:
            import logging

            logger = logging.getLogger(LOGGER)
            self._adapter = logging.LoggerAdapter(logger, {"controller": self.controller})
        return self._adapter

    def debug(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self.adapter().debug(msg, *args, **kwargs)

    def info(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self.adapter().info(msg, *args, **kwargs)

    def warning(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self.adapter().warning(msg, *args, **kwargs)

    def error(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self.adapter().error(msg, *args, **kwargs)

    def exception(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self.adapter().exception(msg, *args, **kwargs)

    def critical(self, msg: object, *args: Any, **kwargs: Any) -> None:
        self.adapter().critical(msg, *args, **kwargs)

    def log(self, level: int, msg: object, *args: Any, **kwargs: Any) -> None:
        self.adapter().log(level, msg, *args, **kwargs)

    def isEnabledFor(self, level: int) -> bool:
        return self.adapter().isEnabledFor(level)

    def __getattr__(self, name: str) -> Any:  # logger, extra, manager...: the adapter's
        return getattr(self.adapter(), name)


class RunContext(Frozen):
    """Everything a controller may use during one run. ``client`` writes as this controller."""

    controller_name: str
    client: Client
    now: datetime
    random: Random
    log: ControllerLog | logging.LoggerAdapter[logging.Logger]
    events: EventRecorder

    __slots__ = ("client", "controller_name", "events", "log", "now", "random")

    def __init__(
        self,
        controller_name: str,
        client: Client,
        now: datetime,
        random: Random,
        log: ControllerLog | logging.LoggerAdapter[logging.Logger],
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
