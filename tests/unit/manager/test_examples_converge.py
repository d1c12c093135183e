"""The shipped examples settle: repeated ticks stop running operators.

Covers: examples/standalone and examples/hypershift, copied to a temporary directory, reach a
quiet tick (nothing runs, nothing waits) within four ticks of repeated `mom run --once`, and
once quiet, another tick changes no file of any cluster; one `mom run --interval 1` daemon runs
nothing at one of its first four ticks, reaches a quiet tick (on hypershift the hosted cluster
whose oauth operator fails waits out its backoff first) and exits 0 on SIGINT; with the sample
operator's Demo controller turned back on the operator never settles and the daemon's warning
names that controller.

The copies set ``debounce: 0``: with the default debounce, back-to-back ticks hold changed
pairs back (reported ``deferred``), so a tick would prove nothing about convergence; with it at
zero a tick runs everything whose inputs changed.
"""

from __future__ import annotations

import json
import re
import selectors
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from tests.unit.manager.conftest import with_sample_demo

from mom.cli.main import main

TICK = re.compile(r" tick: (\d+) run\(s\), (\d+) unchanged(?:, (\d+) deferred)?, ")


def without_debounce(config: Path) -> Path:
    text = config.read_text()
    assert "\ndebounce:" not in text
    config.write_text(
        text.replace("journal: state/journal.sqlite\n", "journal: state/journal.sqlite\ndebounce: 0\n")
    )
    return config


def cluster_files(root: Path) -> dict[Path, bytes]:
    """Every object file of every cluster directory under ``root`` (not mom's own state)."""
    return {
        path.relative_to(root): path.read_bytes()
        for path in sorted(root.rglob("*.yaml"))
        if ".mom" not in path.parts
        and "state" not in path.relative_to(root).parts
        and path.name != "mom.yaml"
    }


def once(config: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, Any]]:
    code = main(["run", "--config", str(config), "--once", "-o", "json"])
    return code, json.loads(capsys.readouterr().out)


def is_quiet(summary: dict[str, Any]) -> bool:
    """Nothing ran and nothing waits: every pair's inputs are the ones it last ran on."""
    pairs = summary["pairs"]
    assert pairs
    return all(pair["run"] is None and pair["trigger"] == "unchanged" for pair in pairs)


def triggers(summary: dict[str, Any]) -> list[str]:
    return [f"{pair['operator']}/{pair['instance']}: {pair['trigger']}" for pair in summary["pairs"]]


@pytest.mark.parametrize("example", ["standalone", "hypershift"])
def test_repeated_once_runs_reach_a_quiet_tick(
    example: str, request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]
) -> None:
    config = without_debounce(request.getfixturevalue(example))
    summaries: list[dict[str, Any]] = []
    for _ in range(4):
        code, summary = once(config, capsys)
        assert code in (0, 1)
        summaries.append(summary)
        if is_quiet(summary):
            break
    assert is_quiet(summaries[-1]), [triggers(summary) for summary in summaries]
    assert not [w for summary in summaries for w in summary["warnings"] if "does not converge" in w]

    before = cluster_files(config.parent)
    code, summary = once(config, capsys)
    assert is_quiet(summary)
    assert cluster_files(config.parent) == before, "a quiet tick changes nothing"


def daemon_ticks(
    config: Path, stop_when_quiet: bool, limit: int
) -> tuple[list[tuple[int, int, int]], str, int]:
    """Run ``mom run --interval 1``; stop it with SIGINT after its first tick that runs nothing and
    has nothing deferred (or after ``limit`` ticks). The ticks as (runs, unchanged, deferred), stderr,
    and the exit code."""
    command = shutil.which("mom", path=str(Path(sys.executable).parent))
    assert command, "the mom console script is installed"
    process = subprocess.Popen(
        [command, "run", "--config", str(config), "--interval", "1"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    ticks: list[tuple[int, int, int]] = []
    lines: list[str] = []
    deadline = time.monotonic() + 60
    with selectors.DefaultSelector() as selector:
        selector.register(process.stderr, selectors.EVENT_READ)
        while len(ticks) < limit and time.monotonic() < deadline:
            if not selector.select(timeout=deadline - time.monotonic()):
                break
            line = process.stderr.readline()
            if not line:
                break
            lines.append(line)
            match = TICK.search(line)
            if match:
                ticks.append((int(match[1]), int(match[2]), int(match[3] or 0)))
                if stop_when_quiet and ticks[-1][0] == ticks[-1][2] == 0:
                    break
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=30)
    return ticks, "".join(lines) + rest, process.returncode


@pytest.mark.parametrize("example", ["standalone", "hypershift"])
def test_daemon_reaches_a_quiet_tick_and_stops_cleanly(example: str, request: pytest.FixtureRequest) -> None:
    config = without_debounce(request.getfixturevalue(example))
    ticks, stderr, code = daemon_ticks(config, stop_when_quiet=True, limit=12)

    assert code == 0, stderr
    assert any(runs == 0 for runs, _, _ in ticks[:4]), stderr
    assert ticks and ticks[-1][0] == ticks[-1][2] == 0, stderr
    assert "does not converge" not in stderr, stderr
    assert " fight over " not in stderr, "the operators cooperate on shared objects"
    assert "Traceback" not in stderr


def test_the_demo_controller_never_settles_and_is_named(hypershift: Path) -> None:
    config = with_sample_demo(without_debounce(hypershift))
    ticks, stderr, code = daemon_ticks(config, stop_when_quiet=False, limit=6)

    assert code == 0, stderr
    assert all(runs > 0 for runs, _, _ in ticks), stderr
    warnings = [line for line in stderr.splitlines() if "does not converge" in line]
    assert warnings, stderr
    assert all("sample-operator-Demo" in line for line in warnings), warnings
