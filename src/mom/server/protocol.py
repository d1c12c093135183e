"""The HTTP/1.1 protocol the server speaks: uvicorn's h11 protocol with a deadline for headers.

Owns: :func:`protocol_with_deadline`. uvicorn closes a connection left idle after a response,
but not one that opens and then sends nothing, or trickles its request line and headers a
byte at a time: such a client holds a connection (and a file descriptor) for as long as it
likes. Here every request's headers must be complete within the deadline of
:class:`~mom.server.intake.Limits`, counted from the connection's first byte or from the end of
the previous response; a late client is disconnected. The body's own deadline is the app's
(:func:`~mom.server.intake.read_body`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol


class _DeadlineProtocol(H11Protocol):
    header_timeout = 30.0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._deadline: asyncio.TimerHandle | None = None
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._awaiting_headers():
            self._arm()
        else:
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _awaiting_headers(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        if self._deadline is None and not self.transport.is_closing():
            self._deadline = self.loop.call_later(self.header_timeout, self._expired)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expired(self) -> None:
        self._deadline = None
        if self._awaiting_headers() and not self.transport.is_closing():
            self.transport.close()


def protocol_with_deadline(header_timeout: float) -> type[Any]:
    """An h11 protocol class for ``uvicorn.Config(http=...)`` that disconnects clients whose
    request headers are not complete ``header_timeout`` seconds after they started."""
    return type("DeadlineH11Protocol", (_DeadlineProtocol,), {"header_timeout": header_timeout})
