"""Confining an operator process with Linux Landlock, before it executes the operator.

Landlock lets an unprivileged process give up rights for itself and every process it starts;
nothing can give them back. Run as a script — ``python -I -S landlock.py --write DIR ...
[--network] -- COMMAND ...`` — this module forks a child that restricts itself and then
executes ``COMMAND`` (which inherits the restrictions), and stays outside the sandbox as its
supervisor: when ``COMMAND`` exits or SIGTERM arrives, every process left behind is killed,
including those that started sessions of their own (the supervisor is their subreaper). The
restrictions:

* writes of any kind (create, write, truncate, remove, rename in, link in) only beneath the
  ``--write`` directories, and ``/dev/null``; device nodes cannot be made even there;
* without ``--network``, no TCP ``bind`` or ``connect`` (Landlock ABI ≥ 4) and, with it, a new
  network namespace when the kernel allows one (loopback only, nothing configured);
* no signals to processes outside the sandbox and no connecting to abstract UNIX sockets
  outside it (ABI ≥ 6).

The script imports the standard library only, so it starts in milliseconds. The manager
imports it to probe what the kernel offers (:func:`abi_version`).
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Sequence

_SYS_CREATE_RULESET = 444
_SYS_ADD_RULE = 445
_SYS_RESTRICT_SELF = 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38
_CLONE_NEWNET = 0x40000000
_CLONE_NEWUSER = 0x10000000
_PR_SET_CHILD_SUBREAPER = 36
_KILL_ROUNDS = 1000

_WRITE_FILE = 1 << 1
_REMOVE_DIR = 1 << 4
_REMOVE_FILE = 1 << 5
_MAKE_CHAR = 1 << 6
_MAKE_DIR = 1 << 7
_MAKE_REG = 1 << 8
_MAKE_SOCK = 1 << 9
_MAKE_FIFO = 1 << 10
_MAKE_BLOCK = 1 << 11
_MAKE_SYM = 1 << 12
_REFER = 1 << 13  # ABI 2
_TRUNCATE = 1 << 14  # ABI 3
_NET_BIND_TCP = 1 << 0  # ABI 4
_NET_CONNECT_TCP = 1 << 1  # ABI 4
_SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
_SCOPE_SIGNAL = 1 << 1  # ABI 6

NETWORK_ABI = 4
"""The first Landlock ABI that can refuse TCP bind and connect."""

_DEVICES = (_MAKE_CHAR, _MAKE_BLOCK)


class _RulesetAttr(ctypes.Structure):
    _fields_ = (
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    )


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = (("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32))


class ConfinementError(Exception):
    """The kernel refused to confine this process."""


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> int:
    if result < 0:
        raise ConfinementError(f"{what}: {os.strerror(ctypes.get_errno())}")
    return result


def abi_version() -> tuple[int, str]:
    """The kernel's Landlock ABI version (0 when unavailable) and, when 0, why."""
    if not sys.platform.startswith("linux"):
        return 0, f"Landlock is a Linux feature; this is {sys.platform}"
    libc = _libc()
    version = int(libc.syscall(_SYS_CREATE_RULESET, None, ctypes.c_size_t(0), _CREATE_RULESET_VERSION))
    if version > 0:
        return version, ""
    reason = os.strerror(ctypes.get_errno())
    return 0, f"the kernel offers no Landlock ({reason}; it needs Linux ≥ 5.13 with landlock in lsm=)"


def _write_access(abi: int) -> int:
    access = _WRITE_FILE | _REMOVE_DIR | _REMOVE_FILE | _MAKE_DIR | _MAKE_REG | _MAKE_SOCK | _MAKE_FIFO
    access |= _MAKE_SYM | _MAKE_CHAR | _MAKE_BLOCK
    if abi >= 2:
        access |= _REFER
    if abi >= 3:
        access |= _TRUNCATE
    return access


def _allow(libc: ctypes.CDLL, ruleset: int, path: str, access: int) -> None:
    fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    try:
        rule = _PathBeneathAttr(allowed_access=access, parent_fd=fd)
        _check(
            int(libc.syscall(_SYS_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(rule), 0)),
            f"allowing writes beneath {path}",
        )
    finally:
        os.close(fd)


def confine(writable: Sequence[str], *, network: bool) -> list[str]:
    """Restrict this process (and all it starts) as the module docstring says; returns notes on
    what could not be restricted on this kernel."""
    abi, reason = abi_version()
    if abi == 0:
        raise ConfinementError(reason)
    libc = _libc()
    notes: list[str] = []
    if not network and not _private_network(libc):
        notes.append("no network namespace could be made; TCP is refused by Landlock only")
    handled = _write_access(abi)
    attr = _RulesetAttr(handled_access_fs=handled)
    size = 8
    if not network and abi >= NETWORK_ABI:
        attr.handled_access_net = _NET_BIND_TCP | _NET_CONNECT_TCP
        size = 16
    elif not network:
        notes.append(f"Landlock ABI {abi} cannot refuse TCP (needs {NETWORK_ABI})")
    if abi >= 6:
        attr.scoped = _SCOPE_SIGNAL | (0 if network else _SCOPE_ABSTRACT_UNIX_SOCKET)
        size = 24
    ruleset = _check(
        int(libc.syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), ctypes.c_size_t(size), 0)),
        "creating a ruleset",
    )
    try:
        devices = _DEVICES[0] | _DEVICES[1]
        for path in writable:
            _allow(libc, ruleset, path, handled & ~devices)
        _allow(libc, ruleset, os.devnull, handled & (_WRITE_FILE | (_TRUNCATE if abi >= 3 else 0)))
        _check(int(libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)), "setting no_new_privs")
        _check(int(libc.syscall(_SYS_RESTRICT_SELF, ruleset, 0)), "restricting the process")
    finally:
        os.close(ruleset)
    return notes


def _private_network(libc: ctypes.CDLL) -> bool:
    """Move into a new, empty network namespace (as root, or through a user namespace)."""
    if int(libc.unshare(_CLONE_NEWNET)) == 0:
        return True
    uid, gid = os.getuid(), os.getgid()
    if int(libc.unshare(_CLONE_NEWUSER | _CLONE_NEWNET)) != 0:
        return False
    try:
        for name, content in (
            ("setgroups", "deny"),
            ("uid_map", f"{uid} {uid} 1"),
            ("gid_map", f"{gid} {gid} 1"),
        ):
            with open(f"/proc/self/{name}", "w", encoding="ascii") as handle:
                handle.write(content)
    except OSError:
        return True  # the namespace exists; identities map to the overflow ids
    return True


def main(argv: Sequence[str]) -> int:
    """``--write DIR`` (repeated), ``--network``, ``--``, then the command to execute; or
    ``--probe``: confine this process as an operator without network would be, print one line
    per restriction the kernel could not make, and exit."""
    arguments = list(argv)
    if arguments == ["--probe"]:
        try:
            for note in confine([], network=False):
                print(note)
        except (ConfinementError, OSError) as exc:
            print(f"mom sandbox: {exc}", file=sys.stderr)
            return 126
        return 0
    if "--" not in arguments or arguments.index("--") == len(arguments) - 1:
        print("mom sandbox: usage: landlock.py [--write DIR]... [--network] -- COMMAND...", file=sys.stderr)
        return 2
    split = arguments.index("--")
    options, command = arguments[:split], arguments[split + 1 :]
    writable = [options[i + 1] for i, option in enumerate(options[:-1]) if option == "--write"]
    return _supervise(command, writable, network="--network" in options)


def _supervise(command: Sequence[str], writable: Sequence[str], *, network: bool) -> int:
    """Run ``command`` confined, as a child, and when it exits or SIGTERM arrives kill every
    process it left behind — even one that started a session of its own, since this process is
    their subreaper. This process stays outside the sandbox, so the operator cannot signal it
    (Landlock ABI ≥ 6). Returns the command's exit code (128 + N when signal N ended it)."""
    if int(_libc().prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)) != 0:
        print("mom sandbox: cannot become a subreaper", file=sys.stderr)
        return 126
    child = os.fork()
    if child == 0:
        os._exit(_confine_and_execute(command, writable, network=network))
    signal.signal(signal.SIGTERM, lambda number, frame: _kill_descendants())
    _, status = os.waitpid(child, 0)
    _kill_descendants()
    code = os.waitstatus_to_exitcode(status)
    return code if code >= 0 else 128 - code


def _confine_and_execute(command: Sequence[str], writable: Sequence[str], *, network: bool) -> int:
    """In the child: confine, then become ``command``; the exit code when either fails."""
    try:
        confine(writable, network=network)
    except (ConfinementError, OSError) as exc:
        print(f"mom sandbox: cannot confine the operator: {exc}", file=sys.stderr)
        return 126
    try:
        os.execv(command[0], list(command))
    except OSError as exc:
        print(f"mom sandbox: cannot run {command[0]}: {exc.strerror}", file=sys.stderr)
    return 127


def _kill_descendants() -> None:
    """SIGKILL and reap this process's children until none is left (orphans keep arriving while
    their parents die, since this process is their subreaper)."""
    me = os.getpid()
    for _ in range(_KILL_ROUNDS):
        children = _children(me)
        if not children:
            return
        for pid in children:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            while os.waitpid(-1, os.WNOHANG) != (0, 0):
                pass


def _children(parent: int) -> list[int]:
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", encoding="ascii", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == parent and fields[0] != "Z":
            found.append(int(entry.name))
    return found


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
