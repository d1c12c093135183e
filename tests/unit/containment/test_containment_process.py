"""Attacks through the operator process itself: its streams and its lifetime.

Covers: an operator flooding stdout with 200 MB costs the manager a bounded amount of memory,
its run still succeeds and the journal keeps the tail of what it printed; non-UTF-8 bytes on
stderr neither fail the run nor drop its mutations; a helper forked by the operator that holds
stdout open does not turn a success into a timeout and does not outlive the run; at the
deadline the operator and everything it started are killed, and under confinement so is a
helper that started a session of its own; ``output-resources`` that is not
UTF-8, floods stdout, or has fields of the wrong type is one error line at registration, exit
1, no traceback, nothing applied.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from tests.unit.containment.support import hostile_operator, needs_landlock, no_traceback, process_alive

FLOOD_BYTES = 200 * 1024 * 1024
RSS_BUDGET_KIB = 64 * 1024
"""Peak memory the manager may grow by while the operator prints ``FLOOD_BYTES``."""


def helper_pid(stderr: str) -> int:
    """The pid the operator printed for the helper it started."""
    return int(next(line for line in stderr.splitlines() if line.startswith("helper-pid="))[11:])


def test_a_stdout_flood_costs_the_manager_bounded_memory(tmp_path: Path) -> None:
    setup = hostile_operator(
        tmp_path,
        f"""
        chunk = b"x" * (1024 * 1024)
        for _ in range({FLOOD_BYTES} // len(chunk)):
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.write(b"the last line\\n")
        """,
    )
    run = setup.run()
    assert run.exit_code == 0, run.stderr
    assert setup.applied()
    assert run.rss_growth_kib < RSS_BUDGET_KIB, f"manager grew by {run.rss_growth_kib} KiB"
    record = setup.last_run()
    assert record.stdout.endswith("the last line\n")
    assert record.stdout.startswith(f"[{FLOOD_BYTES + 14 - 64 * 1024} earlier bytes dropped]")


def test_non_utf8_stderr_keeps_the_run_and_its_mutations(tmp_path: Path) -> None:
    setup = hostile_operator(tmp_path, r'sys.stderr.buffer.write(b"bad byte \xff here\n")')
    run = setup.run()
    no_traceback(run.stderr)
    assert run.exit_code == 0, run.stderr
    assert setup.applied()
    record = setup.last_run()
    assert record.error == ""
    assert "bad byte \ufffd here" in record.stderr


def test_a_helper_holding_stdout_neither_times_out_the_run_nor_outlives_it(tmp_path: Path) -> None:
    setup = hostile_operator(
        tmp_path,
        """
        helper = subprocess.Popen(["sleep", "300"])  # inherits stdout and stderr
        print(f"helper-pid={helper.pid}", file=sys.stderr)
        """,
        timeout=60,
    )
    started = time.monotonic()
    run = setup.run()
    elapsed = time.monotonic() - started
    assert run.exit_code == 0, run.stderr
    assert setup.applied()
    record = setup.last_run()
    assert record.error == ""
    assert elapsed < 30, f"the run took {elapsed:.1f}s: it waited for the helper"
    assert not process_alive(helper_pid(record.stderr))


def test_at_the_deadline_the_operator_and_its_helpers_are_killed(tmp_path: Path) -> None:
    setup = hostile_operator(
        tmp_path,
        """
        helper = subprocess.Popen(["sleep", "300"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"helper-pid={helper.pid}", file=sys.stderr)
        time.sleep(300)
        """,
        timeout=3,
    )
    run = setup.run()
    no_traceback(run.stderr)
    assert run.exit_code == 1
    assert not setup.applied()
    record = setup.last_run()
    assert record.error == "timed out after 3s"
    assert not process_alive(helper_pid(record.stderr))


@pytest.mark.parametrize(
    ("declaration", "reason"),
    [
        (r'sys.stdout.buffer.write(b"userWorkloadResources: \xff\n")', "not UTF-8 text"),
        ('print(json.dumps({"userWorkloadResources": {"exactResources": 5}}))', "exactResources"),
        ('print(json.dumps({"userWorkloadResources": [1]}))', "userWorkloadResources"),
        ('sys.stdout.buffer.write(b"#" * (9 * 1024 * 1024))', "more than the 8388608 accepted"),
    ],
)
def test_hostile_output_resources_are_one_error_line(tmp_path: Path, declaration: str, reason: str) -> None:
    setup = hostile_operator(tmp_path, "pass", declare_outputs=declaration)
    before = setup.cluster_files()
    run = setup.run()
    no_traceback(run.stderr)
    assert run.exit_code == 1
    assert reason in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr
    assert setup.cluster_files() == before


def test_hostile_input_resources_are_one_error_line(tmp_path: Path) -> None:
    setup = hostile_operator(
        tmp_path,
        "pass",
        declare_inputs='print(json.dumps({"applyConfigurationResources": {"exactResources": [7]}}))',
    )
    run = setup.run()
    no_traceback(run.stderr)
    assert run.exit_code == 1
    assert "exactResources[0]" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1, run.stderr


@needs_landlock
@pytest.mark.parametrize(("sleep", "timeout"), [(0, 60), (300, 3)], ids=["after-exit", "at-the-deadline"])
def test_a_helper_in_a_session_of_its_own_does_not_outlive_the_run(
    tmp_path: Path, sleep: int, timeout: int
) -> None:
    setup = hostile_operator(
        tmp_path,
        f"""
        helper = subprocess.Popen(
            ["sleep", "300"], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        print(f"helper-pid={{helper.pid}}", file=sys.stderr)
        time.sleep({sleep})
        """,
        timeout=timeout,
    )
    run = setup.run()
    no_traceback(run.stderr)
    assert not process_alive(helper_pid(setup.last_run().stderr))


@needs_landlock
def test_an_operator_that_kills_its_supervisor_still_leaves_nothing_behind(tmp_path: Path) -> None:
    setup = hostile_operator(
        tmp_path,
        """
        helper = subprocess.Popen(
            ["sleep", "300"], start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        print(f"helper-pid={helper.pid}", file=sys.stderr)
        try:
            os.kill(os.getppid(), signal.SIGKILL)
        except OSError as exc:
            print(f"supervisor: denied ({exc.strerror})", file=sys.stderr)
        """,
    )
    run = setup.run()
    no_traceback(run.stderr)
    record = setup.last_run()
    assert "supervisor: denied" in record.stderr
    assert not process_alive(helper_pid(record.stderr))
    assert setup.applied()
