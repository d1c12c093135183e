"""Which controllers a run enables: the ``--controllers`` list (``*``, ``name``, ``-name``)."""

from __future__ import annotations

from collections.abc import Sequence

from mom.api.errors import InvalidInput


def select_controllers(known: Sequence[str], entries: Sequence[str]) -> dict[str, bool]:
    """Map every known controller to enabled/disabled, Go rules (FORMATS.md §3.5).

    For each controller the entries are scanned in order: the first ``name`` enables it, the
    first ``-name`` disables it; if neither appears it is enabled iff some ``*`` is present.
    Unknown names and a name listed twice with the same sign are errors, all reported at once.
    """
    problems: list[str] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        name = entry[1:] if entry.startswith("-") else entry
        if entry == "*":
            continue
        if not name:
            problems.append(f"controllers[{index}]: Invalid value: {entry!r}: empty controller name")
        elif name not in known:
            problems.append(
                f"controllers[{index}]: Unsupported value: {name!r}: known controllers: {', '.join(known)}"
            )
        elif entry in seen:
            problems.append(f"controllers[{index}]: Duplicate value: {entry!r}")
        seen.add(entry)
    if problems:
        raise InvalidInput("--controllers", problems)
    wildcard = "*" in entries
    selection: dict[str, bool] = {}
    for name in known:
        decided: bool | None = None
        for entry in entries:
            if entry == name:
                decided = True
                break
            if entry == f"-{name}":
                decided = False
                break
        selection[name] = wildcard if decided is None else decided
    return selection


def parse_controllers_flag(values: Sequence[str]) -> list[str]:
    """``--controllers a,b --controllers -c`` → ``["a", "b", "-c"]``; no flag means ``*``."""
    if not values:
        return ["*"]
    return [part.strip() for value in values for part in value.split(",") if part.strip()]
