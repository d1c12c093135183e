"""A controller's ``ctx.log``: records go to the ``mom.operator.run`` logger with the controller's
name, at the level the command's ``-v`` chose, in the command's one-line format; a run whose
controllers log nothing never loads :mod:`logging` (``test_import_floor`` checks that)."""

from __future__ import annotations

import logging
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mom.api.input_resources import InputResources
from mom.api.output_resources import OutputResources
from mom.mustgather.store import Snapshot
from mom.operator import Controller, Operator, RunContext
from mom.operator.run import run_controllers


def talks(ctx: RunContext) -> None:
    ctx.log.info("reconciling %s", "demo")
    ctx.log.warning("careful")
    assert ctx.log.isEnabledFor(logging.WARNING)
    assert ctx.log.extra == {"controller": ctx.controller_name}  # the adapter's own attributes


def test_records_name_the_controller(caplog: pytest.LogCaptureFixture) -> None:
    operator = Operator(
        name="talk",
        inputs=InputResources(),
        outputs=OutputResources(),
        controllers=(Controller("talk-Talks", talks),),
    )
    caplog.set_level(logging.INFO, logger="mom.operator.run")
    outcome = run_controllers(
        operator,
        Snapshot.from_objects([]),
        now=datetime(2024, 1, 1, tzinfo=UTC),
        enabled={"talk-Talks": True},
    )
    assert [r.status.value for r in outcome.results.results] == ["Succeeded"]
    records = [r for r in caplog.records if r.name == "mom.operator.run"]
    assert [(r.levelname, r.getMessage(), getattr(r, "controller", None)) for r in records] == [
        ("INFO", "reconciling demo", "talk-Talks"),
        ("WARNING", "careful", "talk-Talks"),
    ]


SCRIPT = """
    import sys
    from mom.api.input_resources import InputResources
    from mom.api.output_resources import OutputResources
    from mom.operator import Controller, Operator
    from mom.operator.command import run_command


    def talks(ctx):
        ctx.log.info("reconciling %s", "demo")
        ctx.log.warning("careful")

    operator = Operator(
        name="talk", inputs=InputResources(), outputs=OutputResources(), controllers=(Controller("talk-Talks", talks),)
    )
    sys.exit(run_command(operator))
"""


@pytest.mark.parametrize(("flags", "shown"), [([], ["WARNING"]), (["-v"], ["INFO", "WARNING"])])
def test_the_command_line_chooses_the_level(tmp_path: Path, flags: list[str], shown: list[str]) -> None:
    script = tmp_path / "talk.py"
    script.write_text(textwrap.dedent(SCRIPT))
    (tmp_path / "in").mkdir()
    argv = ["apply-configuration", "--input-dir", str(tmp_path / "in"), "--output-dir", str(tmp_path / "out")]
    completed = subprocess.run(
        [sys.executable, str(script), *flags, *argv, "--now", "2024-10-14T22:38:20Z"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert completed.returncode == 0, completed.stderr
    lines = [line for line in completed.stderr.splitlines() if "mom.operator.run" in line]
    expected = {
        "INFO": "INFO mom.operator.run: reconciling demo",
        "WARNING": "WARNING mom.operator.run: careful",
    }
    assert lines == [expected[level] for level in shown]
