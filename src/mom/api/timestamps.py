"""Timestamps as Kubernetes writes them: RFC 3339 in UTC, ``2024-10-14T22:38:20Z``."""

from __future__ import annotations

from datetime import UTC, datetime

SECONDS = "%Y-%m-%dT%H:%M:%SZ"
MICROSECONDS = "%Y-%m-%dT%H:%M:%S.%fZ"


def rfc3339(moment: datetime, *, fractions: bool = False) -> str:
    """``moment`` in UTC to the second, as ``metav1.Time`` is written (a naive moment is UTC).

    With ``fractions``, microseconds follow the seconds when there are any, as a record that
    keeps the exact instant needs."""
    utc = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return utc.strftime(MICROSECONDS if fractions and utc.microsecond else SECONDS)
