"""Timestamps are written as Kubernetes writes them, whatever zone the moment was given in."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone

import pytest

from mom.api.timestamps import rfc3339


def test_a_moment_is_written_in_utc_to_the_second() -> None:
    assert rfc3339(datetime(2024, 10, 14, 22, 38, 20, tzinfo=UTC)) == "2024-10-14T22:38:20Z"
    assert rfc3339(datetime(2024, 10, 14, 22, 38, 20, 999999, tzinfo=UTC)) == "2024-10-14T22:38:20Z"


def test_a_moment_in_another_zone_is_converted_not_relabelled() -> None:
    two_hours_east = timezone(timedelta(hours=2))
    assert rfc3339(datetime(2024, 10, 15, 0, 38, 20, tzinfo=two_hours_east)) == "2024-10-14T22:38:20Z"


def test_a_naive_moment_is_utc_not_local_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Asia/Kolkata")  # a local zone away from UTC, so a mix-up shows
    time.tzset()
    try:
        naive = datetime(2024, 10, 14, 22, 38, 20)  # noqa: DTZ001 - what a caller may pass
        assert rfc3339(naive) == "2024-10-14T22:38:20Z"
        assert rfc3339(naive.replace(microsecond=5), fractions=True) == "2024-10-14T22:38:20.000005Z"
    finally:
        monkeypatch.undo()
        time.tzset()


def test_fractions_appear_only_when_asked_and_present() -> None:
    exact = datetime(2024, 10, 14, 22, 38, 20, 250000, tzinfo=UTC)
    assert rfc3339(exact, fractions=True) == "2024-10-14T22:38:20.250000Z"
    assert rfc3339(exact.replace(microsecond=0), fractions=True) == "2024-10-14T22:38:20Z"
