"""A live kube-apiserver as a mom :class:`~mom.client.messages.Transport`.

Owns: :class:`LiveTransport` — requests and streamed watches sent to the server a kubeconfig
context names (:mod:`mom.live.kubeconfig`), with an optional write budget that fences writes
once this process may no longer make them. HTTP failures (unreachable server, broken
connection) are :class:`~mom.api.errors.MomError`; answers of any status are returned as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx2

from mom.api.errors import Fenced, MomError
from mom.client.messages import ApiRequest, ApiResponse
from mom.live.kubeconfig import connect, load_kubeconfig

_WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
QUIET = 408
"""The status :meth:`LiveTransport.stream` gives when the server sent no answer at all in time."""


class LiveTransport:
    """A live kube-apiserver, addressed through a kubeconfig file and context.

    ``user_agent`` names the process to the server (its audit log records it). With
    ``write_budget`` (seconds this process may still write, e.g. what is left of its lease), every
    write is checked first — none is sent once the budget is spent (:class:`Fenced`) — and waits
    for its answer no longer than the budget.
    """

    def __init__(
        self,
        kubeconfig: Path,
        context: str | None = None,
        *,
        timeout: float = 30.0,
        user_agent: str = "",
        write_budget: Callable[[], float] | None = None,
    ) -> None:
        self.kubeconfig = load_kubeconfig(kubeconfig, context)
        self._client = connect(self.kubeconfig, timeout=timeout)
        self._timeout = timeout
        self._user_agent = user_agent
        self._write_budget = write_budget

    def handle(self, request: ApiRequest) -> ApiResponse:
        headers = dict(request.headers)
        if self._user_agent:
            headers["User-Agent"] = self._user_agent
        timeout, extensions = self._timeout, {}
        budget = self._write_budget
        if budget is not None and request.method in _WRITES:
            timeout = min(timeout, _within(budget, request))

            def last_check(event: str, _info: object) -> None:
                # Called by the HTTP stack just before the request's headers, then its body,
                # are written to the socket: the server acts on nothing without the whole body.
                if event.endswith(("send_request_headers.started", "send_request_body.started")):
                    _within(budget, request)

            extensions["trace"] = last_check
        try:
            response = self._client.request(
                request.method,
                request.path,
                params=list(request.query),
                headers=headers,
                content=request.body or None,
                timeout=httpx2.Timeout(timeout),
                extensions=extensions,
            )
        except httpx2.HTTPError as exc:
            raise MomError(f"{request.method} {request.path}: {exc}") from exc
        return ApiResponse(response.status_code, response.content, response.headers.get("content-type", ""))

    @contextmanager
    def stream(
        self, path: str, query: list[tuple[str, str]], *, quiet_after: float
    ) -> Iterator[tuple[int, Iterator[str]]]:
        """A streaming GET (a watch): its status and its lines. The lines end when the stream
        does, or when nothing arrives for ``quiet_after`` seconds; a server that does not even
        answer in that time gives :data:`QUIET` and no lines."""
        headers = {"User-Agent": self._user_agent} if self._user_agent else {}
        timeout = httpx2.Timeout(10.0, read=quiet_after)
        with ExitStack() as stack:
            try:
                answer = stack.enter_context(
                    self._client.stream("GET", path, params=tuple(query), headers=headers, timeout=timeout)
                )
            except httpx2.ReadTimeout:
                yield QUIET, iter(())
                return
            except httpx2.HTTPError as exc:
                raise MomError(f"GET {path}: {exc}") from exc
            yield answer.status_code, _lines(answer, path)

    def close(self) -> None:
        self._client.close()


def _lines(answer: httpx2.Response, path: str) -> Iterator[str]:
    try:
        yield from answer.iter_lines()
    except httpx2.ReadTimeout:
        return  # quiet: the caller opens the stream again from where it was
    except httpx2.HTTPError as exc:
        raise MomError(f"GET {path}: {exc}") from exc


def _within(budget: Callable[[], float], request: ApiRequest) -> float:
    """What is left of ``budget``, or :class:`Fenced` when nothing is."""
    left = budget()
    if left <= 0:
        raise Fenced(f"{request.method} {request.path}: not sent: this process may no longer write")
    return left


__all__ = ["QUIET", "LiveTransport"]
