"""The ``mom`` command with only the sub-commands the journal tests drive.

Loading every command module would make these tests depend on unrelated commands' imports;
``main()`` itself (parsing, error lines, exit codes) is the real one.
"""

from __future__ import annotations

import pytest

import mom.cli.main

JOURNAL_TEST_COMMANDS = ("mom.cli.mutations", "mom.cli.testing", "mom.cli.journal")


@pytest.fixture(autouse=True)
def journal_commands_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mom.cli.main, "COMMAND_MODULES", JOURNAL_TEST_COMMANDS)
