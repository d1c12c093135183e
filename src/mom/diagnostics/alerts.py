"""Alerts that were firing when the must-gather was taken, from ``monitoring/alerts.json``.

Owns :func:`firing_alerts`. The file is Prometheus's ``/api/v1/rules`` answer: groups of rules,
each alerting rule with its active alerts. Rows are the alerts in state ``firing`` (``pending``
too when asked), with severity, namespace, when they became active and their summary.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput
from mom.diagnostics.files import mapping, mappings, read_json

ALERTS_FILE = "monitoring/alerts.json"
Row = dict[str, Any]


def firing_alerts(root: Path, *, pending: bool = False) -> list[Row]:
    """Firing (and, with ``pending``, pending) alerts, most severe first."""
    document = read_json(root, ALERTS_FILE)
    data = document.get("data") if isinstance(document, dict) else None
    if not isinstance(data, dict):
        raise InvalidInput(ALERTS_FILE, ["missing, or not a Prometheus rules answer"])
    states = ("firing", "pending") if pending else ("firing",)
    rows = []
    for group in mappings(data.get("groups")):
        for rule in mappings(group.get("rules")):
            for alert in mappings(rule.get("alerts")):
                if alert.get("state") not in states:
                    continue
                labels = mapping(alert.get("labels"))
                annotations = mapping(alert.get("annotations"))
                rows.append(
                    {
                        "name": labels.get("alertname", rule.get("name", "")),
                        "state": alert.get("state"),
                        "severity": labels.get("severity", ""),
                        "namespace": labels.get("namespace", ""),
                        "activeAt": alert.get("activeAt", ""),
                        "summary": annotations.get("summary")
                        or annotations.get("message")
                        or annotations.get("description", ""),
                        "labels": labels,
                    }
                )
    order = {"critical": 0, "warning": 1, "info": 2}
    return sorted(rows, key=lambda row: (order.get(str(row["severity"]), 3), str(row["name"])))
