"""``oauth-operator``: the OAuth server operator's generated command line."""

from __future__ import annotations

from mom.api.exits import exit_with, settle_imports
from mom.operator.command import run_command
from mom.operator.oauth.operator import OAUTH_OPERATOR


def main() -> None:
    settle_imports()
    exit_with(run_command(OAUTH_OPERATOR))


if __name__ == "__main__":
    main()
