"""Checking that an operator declares every input it needs: one entry point for both kinds.

Owns: :class:`InputCheckOptions` and :func:`check_input_resources`, which loads a Python
operator (``MODULE:ATTRIBUTE``) and traces its reads, or runs an executable on the whole and the
pruned must-gather, in a work directory that is kept when named and removed otherwise.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from mom.api.errors import InvalidInput, MomError
from mom.manager.inputcheck.pruned import Progress, PrunedRunOptions, check_pruned_run
from mom.manager.inputcheck.report import CompletenessReport
from mom.manager.inputcheck.traced import check_traced_reads
from mom.manager.operators import load_operator
from mom.manager.specs import OperatorSpec
from mom.manager.subprocesses import SubprocessRunner
from mom.mustgather.loader import load_must_gather
from mom.operator import Operator

DEFAULT_TIMEOUT = 120.0
"""Seconds one command of an executable may take unless the caller says otherwise."""


@dataclass(frozen=True)
class InputCheckOptions:
    """What to check: exactly one of ``python`` and ``binary``, against ``must_gather_dir``."""

    must_gather_dir: Path
    now: datetime
    python: str = ""
    binary: str = ""
    controllers: tuple[str, ...] = ("*",)
    output_dir: Path | None = None
    """Where an executable's pruned inputs and outputs are kept (default: a removed temporary one)."""
    timeout: float = DEFAULT_TIMEOUT
    working_dir: Path = Path()
    """What a relative ``binary`` path is resolved against."""


def check_input_resources(
    options: InputCheckOptions, progress: Progress = lambda _: None
) -> CompletenessReport:
    """The objects the operator ``options`` names needs but does not declare."""
    if options.python:
        operator = _load(options.python)
        progress(f"{operator.name}: loading {options.must_gather_dir}")
        snapshot = load_must_gather(options.must_gather_dir)
        progress(f"{operator.name}: running every controller with its reads traced")
        return check_traced_reads(operator, snapshot, now=options.now, controllers=options.controllers)
    spec = OperatorSpec(
        name=Path(options.binary).name,
        command=(options.binary,),
        timeout=options.timeout,
        controllers=options.controllers,
    )
    runner = SubprocessRunner(spec, options.working_dir)
    with _work_dir(options.output_dir) as work_dir:
        pruned = PrunedRunOptions(options.must_gather_dir, work_dir, options.now)
        return check_pruned_run(runner, pruned, progress)


def _load(reference: str) -> Operator:
    try:
        return load_operator(reference)
    except MomError:
        raise
    except Exception as exc:  # the author's module failed while being imported
        raise InvalidInput(reference, [f"cannot load the operator: {type(exc).__name__}: {exc}"]) from exc


@contextmanager
def _work_dir(kept: Path | None) -> Iterator[Path]:
    if kept is None:
        with tempfile.TemporaryDirectory(prefix="mom-check-") as temporary:
            yield Path(temporary)
        return
    created = not kept.exists()
    kept.mkdir(parents=True, exist_ok=True)
    try:
        yield kept
    except BaseException:
        if created and not any(kept.iterdir()):
            kept.rmdir()  # the check did not get as far as writing anything
        raise


__all__ = ["DEFAULT_TIMEOUT", "InputCheckOptions", "check_input_resources"]
