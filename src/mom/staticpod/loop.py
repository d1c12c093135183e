"""The cluster part as a small standing loop against a live cluster.

The same controller :func:`~mom.staticpod.controller.static_pod_operator` gives mom, called
directly with a live client: reads see the cluster as it is, writes go straight to it. Time is
passed in by whoever runs the loop; a failed pass is reported and the next one tries again.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime

from mom.api.errors import MomError
from mom.client.client import Client
from mom.operator import EventRecorder, RunContext, SyncError
from mom.staticpod.controller import static_pod_operator
from mom.staticpod.operand import StaticPodOperand

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PassResult:
    ok: bool
    message: str = ""


def run_pass(operand: StaticPodOperand, client: Client, now: datetime) -> PassResult:
    """One pass of the controller against ``client``'s cluster."""
    operator = static_pod_operator(operand)
    (controller,) = operator.controllers
    name = controller.name
    context = RunContext(
        controller_name=name,
        client=client,
        now=now,
        random=random.Random(int(now.timestamp())),
        log=logging.LoggerAdapter(log, {"controller": name}),
        events=EventRecorder(
            client=client,
            now=now,
            component=operator.event_source,
            involved_object=dict(operator.involved_object),
        ),
    )
    try:
        controller.sync(context)
    except (SyncError, MomError) as exc:
        log.warning("static pod controller pass failed: %s", exc)
        return PassResult(False, str(exc))
    return PassResult(True)
