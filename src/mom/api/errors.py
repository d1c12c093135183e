"""The one exception tree of mom. Third-party errors are wrapped, never subclassed."""

from __future__ import annotations

from collections.abc import Iterable


class MomError(Exception):
    """Base of every error mom raises on purpose. ``str()`` is one line for a user."""


class InvalidInput(MomError):
    """Input that mom refuses: a file, document or flag. Carries every problem found."""

    def __init__(self, source: str, problems: Iterable[str]) -> None:
        self.source = source
        self.problems: tuple[str, ...] = tuple(problems) or ("invalid",)
        super().__init__(self._render())

    def _render(self) -> str:
        prefix = f"{self.source}: " if self.source else ""
        if len(self.problems) == 1:
            return prefix + self.problems[0]
        return prefix + f"{len(self.problems)} problems: " + "; ".join(self.problems)


class NotFound(MomError):
    """An object or resource that does not exist in the place asked."""


class Conflict(MomError):
    """A write that cannot be applied as asked (stale resourceVersion, existing object...)."""


class Fenced(MomError):
    """A write refused because this process no longer holds the lease that lets it write."""
