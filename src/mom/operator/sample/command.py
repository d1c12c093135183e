"""``sample-operator``: the sample operator's generated command line."""

from __future__ import annotations

import sys

from mom.operator.command import run_command
from mom.operator.sample.operator import SAMPLE_OPERATOR


def main() -> None:
    sys.exit(run_command(SAMPLE_OPERATOR))


if __name__ == "__main__":
    main()
