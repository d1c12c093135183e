"""Bases for value classes whose methods are not compiled at import.

``@dataclass`` compiles every method of a class when its module is imported; on the path of an
operator run as a subprocess that cost more than the run's own work. A value on that path lists
its fields in ``__slots__``, sets them in a written-out ``__init__`` and inherits from
:class:`Value`, :class:`Frozen` or :class:`OrderedFrozen` what the matching dataclass would
generate: equality over the fields as a tuple (only with a value of the same class), a
``Name(field=value, ...)`` repr and, when frozen, hashing and no assignment after ``__init__``
(which sets fields with ``object.__setattr__``). ``dataclasses.replace`` works on them too, and
they are copied and pickled field by field.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from dataclasses import Field


def _getter(fields: tuple[str, ...]) -> Callable[[Any], tuple[Any, ...]]:
    """The fields of a value as a tuple (``attrgetter`` returns a bare value for a single name)."""
    if len(fields) == 1:
        only = attrgetter(fields[0])
        return lambda value: (only(value),)
    if not fields:
        return lambda value: ()
    return attrgetter(*fields)


class _DataclassFields:
    """``__dataclass_fields__``, made on first use: ``dataclasses.replace`` (and ``fields``) read
    it, and a run that never calls them does not import :mod:`dataclasses`."""

    def __get__(self, instance: object, owner: type[Value]) -> dict[str, Any]:
        made: dict[str, Any] | None = owner.__dict__.get("_made_dataclass_fields")
        if made is None:
            from dataclasses import make_dataclass

            made = vars(make_dataclass(owner.__name__, owner._fields))["__dataclass_fields__"]
            type.__setattr__(owner, "_made_dataclass_fields", made)
        return made


class Value:
    """A value compared and shown by its fields: its annotated attributes other than ``ClassVar``
    ones, in order, base classes' first (each is also in ``__slots__``). Fields named in
    ``_uncompared`` are neither compared nor shown. Like a dataclass with ``eq=True``, it is not
    hashable unless frozen."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()
    _uncompared: ClassVar[tuple[str, ...]] = ()
    _compared: ClassVar[tuple[str, ...]] = ()
    _values: ClassVar[Callable[[Any], tuple[Any, ...]]]
    if TYPE_CHECKING:
        __dataclass_fields__: ClassVar[dict[str, Field[Any]]]
    else:
        __dataclass_fields__ = _DataclassFields()

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
        cls._compared = tuple(name for name in cls._fields if name not in cls._uncompared)
        cls._values = _getter(cls._compared)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return type(self)._values(self) == type(self)._values(other)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._compared)
        return f"{self.__class__.__qualname__}({shown})"

    def __reduce__(self) -> tuple[Any, ...]:
        """Copied (``copy``, ``deepcopy``) and pickled field by field, like a dataclass: the copy
        gets the same fields without ``__init__`` running again."""
        return (_rebuilt, (self.__class__, tuple(getattr(self, name) for name in self._fields)))


def _rebuilt(cls: type[Value], values: tuple[Any, ...]) -> Value:
    """A value of ``cls`` with ``values`` as its fields, in order (see :meth:`Value.__reduce__`)."""
    value = object.__new__(cls)
    for name, item in zip(cls._fields, values, strict=True):
        object.__setattr__(value, name, item)
    return value


class Frozen(Value):
    """An immutable :class:`Value`, hashed by its fields; those named in ``_unhashed`` are
    compared but not hashed."""

    __slots__ = ()
    _unhashed: ClassVar[tuple[str, ...]] = ()
    _hashed_values: ClassVar[Callable[[Any], tuple[Any, ...]]]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._hashed_values = _getter(tuple(f for f in cls._compared if f not in cls._unhashed))

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}")

    def __hash__(self) -> int:
        return hash(type(self)._hashed_values(self))


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
