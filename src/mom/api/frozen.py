"""Bases for immutable values whose methods are not compiled at import.

``@dataclass`` compiles every method of a class when its module is imported; on the path of an
operator run as a subprocess that cost more than the run's own work. A value on that path lists
its fields in ``__slots__``, sets them in a written-out ``__init__`` (``object.__setattr__``) and
inherits from :class:`Frozen` (or :class:`OrderedFrozen`) what a frozen dataclass would generate:
equality and hashing over the fields as a tuple, ``Name(field=value, ...)`` as its repr, and no
assignment after ``__init__``.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, ClassVar


def _getter(fields: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The fields of a value as a tuple (``attrgetter`` returns a bare value for a single name)."""
    if len(fields) == 1:
        only = attrgetter(fields[0])
        return lambda value: (only(value),)
    if not fields:
        return lambda value: ()
    return attrgetter(*fields)


class Frozen:
    """An immutable value compared, hashed and shown by its fields: its annotated attributes other
    than ``ClassVar`` ones, in order, base classes' first (each is also in ``__slots__``). Fields
    named in ``_unhashed`` are compared but not hashed."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _unhashed: ClassVar[tuple[str, ...]] = ()
    _values: ClassVar[Callable[[Any], tuple[Any, ...]]]
    _hashed_values: ClassVar[Callable[[Any], tuple[Any, ...]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        own = tuple(
            name
            for name, annotation in cls.__annotations__.items()  # its own (Python 3.10+)
            if not str(annotation).startswith(("ClassVar", "typing.ClassVar"))
        )
        if set(own) != set(cls.__dict__.get("__slots__", ())):
            raise TypeError(f"{cls.__qualname__}: __slots__ must list exactly the annotated fields {own}")
        cls._fields = (*cls._fields, *own)
        cls._values = _getter(cls._fields)
        cls._hashed_values = _getter(tuple(f for f in cls._fields if f not in cls._unhashed))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return type(self)._values(self) == type(self)._values(other)

    def __hash__(self) -> int:
        return hash(type(self)._hashed_values(self))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{self.__class__.__qualname__}({shown})"


class OrderedFrozen(Frozen):
    """A :class:`Frozen` value that also sorts by its fields, as a tuple (only among its own class)."""

    __slots__ = ()

    def __lt__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return type(self)._values(self) < type(self)._values(other)

    def __le__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return type(self)._values(self) <= type(self)._values(other)

    def __gt__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return type(self)._values(self) > type(self)._values(other)

    def __ge__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return type(self)._values(self) >= type(self)._values(other)
