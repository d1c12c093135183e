"""Whether the installed revision is up: the mirror pod's Ready condition, or a probe URL.

A :class:`Readiness` answers ``True`` (ready), ``False`` (not ready) or ``None`` (cannot tell:
the kube-apiserver is unreachable, or the mirror pod runs another revision). The node part
falls back only on a revision that stayed not-ready-or-unknown past its timeout, so an
unreachable API never blocks a fallback and never causes one by itself before the timeout.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from typing import Any, Protocol

from mom.api.errors import MomError
from mom.client.client import Client
from mom.staticpod.operand import PODS, REVISION_LABEL, StaticPodOperand


class Readiness(Protocol):
    def ready(self, revision: int) -> bool | None: ...


class MirrorPodReadiness:
    """Reads the mirror pod ``<name>-<node>`` and its Ready condition from the API."""

    def __init__(self, client: Client, operand: StaticPodOperand, node: str) -> None:
        self._client, self._operand, self._node = client, operand, node

    def ready(self, revision: int) -> bool | None:
        try:
            pod = self._client.get_or_none(
                PODS, self._operand.mirror_pod_name(self._node), self._operand.namespace
            )
        except MomError:
            return None
        if pod is None:
            return False
        return pod_ready(pod, revision)


def pod_ready(pod: dict[str, Any], revision: int) -> bool | None:
    """Ready when the pod runs ``revision`` and its Ready condition is True; None for another revision."""
    labels = (pod.get("metadata") or {}).get("labels") or {}
    if not isinstance(labels, dict) or labels.get(REVISION_LABEL) != str(revision):
        return None
    status = pod.get("status") or {}
    conditions = status.get("conditions") if isinstance(status, dict) else None
    if not isinstance(conditions, list):
        return False
    return any(
        isinstance(c, dict) and c.get("type") == "Ready" and c.get("status") == "True" for c in conditions
    )


class ProbeReadiness:
    """GETs ``url``: a 2xx answer is ready, anything else (or no answer) is not."""

    def __init__(self, url: str, *, timeout: float = 2.0) -> None:
        if not url.startswith(("http://", "https://")):
            raise MomError(f"probe URL {url!r}: must be http:// or https://")
        self._url, self._timeout = url, timeout

    def ready(self, revision: int) -> bool | None:
        try:
            with urllib.request.urlopen(self._url, timeout=self._timeout) as answer:
                return 200 <= int(answer.status) < 300
        except (urllib.error.URLError, OSError, ValueError):
            return False
