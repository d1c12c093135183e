"""A stand-in operator for harness tests: does what ``<input-dir>/script.json`` tells it.

``apply-configuration --input-dir I --output-dir O [--now T] [--controllers a,b]`` reads
``I/script.json`` (``{"argv": true, "sleep": 0, "exitCode": 0}``: print the received
arguments to stderr, sleep that many seconds, exit with that code) and copies the pre-rendered
output tree ``I/output/`` into ``O``. Only the standard library is used, so it starts fast.
"""

from __future__ import annotations

import json
import shutil
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    if argv[:1] != ["apply-configuration"]:
        print(f"unknown command {argv[:1]}", file=sys.stderr)
        return 2
    args = dict(zip(argv[1::2], argv[2::2], strict=False))
    input_dir = Path(args["--input-dir"])
    script = json.loads((input_dir / "script.json").read_text())
    if script.get("argv"):
        print("argv: " + " ".join(argv), file=sys.stderr)
    print("scripted operator running", flush=True)
    time.sleep(float(script.get("sleep", 0)))
    if (input_dir / "output").is_dir():
        shutil.copytree(input_dir / "output", args["--output-dir"], dirs_exist_ok=True)
    return int(script.get("exitCode", 0))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
