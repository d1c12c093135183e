"""Every `mom` command explains itself, and its shell completion comes from the same parser.

Covers:
- every command and sub-command (found by walking the parser, so a new one is covered the day
  it is registered) prints a description and at least one example in `--help`;
- every example parses with the command line as printed (flags and arguments that exist);
- the installed `mom` prints the same page for `mom journal list --help`;
- `mom completion bash` is a script bash accepts, and completing `mom jo`, `mom journal l`
  and `mom get --must` in bash offers `journal`, `list` and `--must-gather-dir`;
  `mom completion zsh` lists each command with its one-line help, and zsh's compinit,
  finding it on `fpath`, binds it to `mom` (when zsh is installed);
- an unknown shell is a usage error (exit 2, one line).
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mom.cli.helptext import HELP, walk
from mom.cli.main import build_parser, main

MOM = str(Path(sys.executable).parent / "mom")


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    return {"": parser, **walk(parser)}


def test_every_command_has_help_text_and_every_help_text_a_command() -> None:
    paths = set(_commands())
    assert {"get", "serve", "api-resources", "apply", "mutations diff", "journal replay"} <= paths
    assert paths == set(HELP)


@pytest.mark.parametrize("path", sorted(_commands()))
def test_help_has_a_description_and_an_example(path: str) -> None:
    page = _commands()[path].format_help()
    _usage, _, rest = page.partition("\n\n")
    description = rest.split("\n\n", 1)[0]
    assert not description.startswith(("positional arguments:", "options:")), page
    assert len(description.split()) >= 5, page
    examples = page.split("\nexamples:\n", 1)[1]
    assert f"mom {path}".rstrip() in examples, page


def _argv(example: str) -> list[str] | None:
    """The mom arguments of a printed example, without environment assignments or redirection."""
    words = shlex.split(example)
    while "=" in words[0]:
        words.pop(0)
    if ">" in words:
        words = words[: words.index(">")]
    assert words[0] == "mom", example
    return None if "COMMAND" in words else words[1:]


@pytest.mark.parametrize("path", sorted(_commands()))
def test_every_example_parses(path: str) -> None:
    page = _commands()[path].format_help()
    examples = [
        line.split("$ ", 1)[1] for line in page.split("\nexamples:\n", 1)[1].splitlines() if "$ " in line
    ]
    assert examples
    for example in examples:
        argv = _argv(example)
        if argv is None:
            continue
        parsed = build_parser(argv).parse_args(argv)
        assert callable(parsed.handler), example


def test_installed_command_prints_the_page() -> None:
    done = subprocess.run([MOM, "journal", "list", "--help"], capture_output=True, text=True, check=True)
    assert "List the newest runs" in done.stdout
    assert "$ mom journal list --config mom.yaml" in done.stdout


@pytest.mark.parametrize("argv", [["run", "--help"], ["run", "--hel"], ["-v", "run", "-h"], ["run", "-h"]])
def test_every_spelling_of_help_prints_the_page(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(argv)
    page = capsys.readouterr().out
    assert "Run the configured operators" in page
    assert "$ mom run --config mom.yaml --once" in page


def _bash_complete(script: Path, line: str) -> list[str]:
    words = line.split(" ")
    program = (
        f"source {shlex.quote(str(script))}\n"
        f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})\n"
        f"COMP_CWORD={len(words) - 1}\n"
        f"COMP_LINE={shlex.quote(line)}\nCOMP_POINT=${{#COMP_LINE}}\n"
        "_shtab_mom mom\n"
        'printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    done = subprocess.run(["bash", "-c", program], capture_output=True, text=True, check=True)
    return done.stdout.split()


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_completion_completes_commands(tmp_path: Path) -> None:
    script = tmp_path / "mom.bash"
    done = subprocess.run([MOM, "completion", "bash"], capture_output=True, text=True, check=True)
    script.write_text(done.stdout)
    subprocess.run(["bash", "-n", str(script)], check=True)
    assert _bash_complete(script, "mom jo") == ["journal"]
    assert "list" in _bash_complete(script, "mom journal l")
    assert "--must-gather-dir" in _bash_complete(script, "mom get --must")


def test_zsh_completion_lists_commands_with_their_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "zsh"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("#compdef mom")
    assert "journal:'inspect stored operator runs'" in out
    assert "envtest:'run a real kube-apiserver and etcd and print a kubeconfig'" in out


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_zsh_loads_the_completion(tmp_path: Path) -> None:
    functions = tmp_path / "site-functions"
    functions.mkdir()
    done = subprocess.run([MOM, "completion", "zsh"], capture_output=True, text=True, check=True)
    (functions / "_mom").write_text(done.stdout)
    subprocess.run(["zsh", "-n", str(functions / "_mom")], check=True)
    program = (
        f"fpath=({shlex.quote(str(functions))} $fpath)\n"
        f"autoload -U compinit && compinit -u -d {shlex.quote(str(tmp_path / 'zcompdump'))}\n"
        "print -r -- ${_comps[mom]}\n"
    )
    loaded = subprocess.run(["zsh", "-f", "-c", program], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "_mom", loaded.stdout + loaded.stderr


def test_unknown_shell_is_a_usage_error() -> None:
    done = subprocess.run([MOM, "completion", "fish"], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "invalid choice: 'fish'" in done.stderr
    assert "Traceback" not in done.stderr
