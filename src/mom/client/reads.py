"""A transport that passes every request on and notes each resource read.

Owns: :class:`Read` (who read what: the controller instance named by the request's
``X-Mom-Controller-Instance-Name`` header, the resource path and the selectors),
:class:`ReadLog` and :class:`ReadTracingTransport`, which wraps any
:class:`Transport`. Writes and discovery requests pass through unnoted. Controllers may run on
several threads, so the log is guarded by a lock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from mom.client.messages import ApiRequest, ApiResponse, Transport
from mom.client.paths import ResourcePath, parse_path
from mom.client.transport import CONTROLLER_HEADER

_READ_METHODS = frozenset({"GET", "HEAD"})


@dataclass(frozen=True, slots=True)
class Read:
    """One GET (``target.name`` set) or LIST (``target.name`` empty) of a resource."""

    controller: str
    target: ResourcePath
    label_selector: str = ""
    field_selector: str = ""

    @property
    def is_list(self) -> bool:
        return not self.target.name


class ReadLog:
    """The reads noted by every :class:`ReadTracingTransport` sharing this log."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._reads: list[Read] = []

    def add(self, read: Read) -> None:
        with self._lock:
            self._reads.append(read)

    @property
    def reads(self) -> tuple[Read, ...]:
        """Every read so far, in the order they were answered."""
        with self._lock:
            return tuple(self._reads)


class ReadTracingTransport:
    """Answers through ``inner`` and notes each resource read in ``log``."""

    def __init__(self, inner: Transport, log: ReadLog) -> None:
        self._inner = inner
        self._log = log

    def handle(self, request: ApiRequest) -> ApiResponse:
        response = self._inner.handle(request)
        target = parse_path(request.path) if request.method in _READ_METHODS else None
        if isinstance(target, ResourcePath) and request.param("watch") not in ("true", "1"):
            self._log.add(
                Read(
                    controller=request.header(CONTROLLER_HEADER),
                    target=target,
                    label_selector=request.param("labelSelector"),
                    field_selector=request.param("fieldSelector"),
                )
            )
        return response
