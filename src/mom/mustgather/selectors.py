"""Label and field selectors, parsed from Kubernetes syntax and matched against objects.

Owns: the ``labelSelector`` grammar (``a=b``, ``a==b``, ``a!=b``, ``a in (x,y)``,
``a notin (x)``, ``a``, ``!a``, comma meaning "and"), the ``metav1.LabelSelector`` form
(``matchLabels`` / ``matchExpressions``), and the ``fieldSelector`` subset mom serves
(``metadata.name`` and ``metadata.namespace`` with ``=``, ``==``, ``!=``, or the field labels
of one resource, :func:`mom.mustgather.fieldlabels.field_labels`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from mom.api.errors import InvalidInput
from mom.api.values import Frozen
from mom.mustgather.fieldlabels import METADATA_LABELS, field_value

Operator = Literal["=", "!=", "in", "notin", "exists", "!"]

_NAME = r"[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?"
_PREFIX = r"[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?"
_KEY_RE = re.compile(rf"(?:{_PREFIX}/)?{_NAME}")
_VALUE_RE = re.compile(rf"(?:{_NAME})?")
_SET_RE = re.compile(r"^(\S+?)\s+(in|notin)\s*\((.*)\)$", re.DOTALL)
_EQUALITY_RE = re.compile(r"^([^=!\s]+)\s*(==|!=|=)\s*(\S*)$")
_EXPRESSION_OPERATORS: dict[str, Operator] = {
    "In": "in",
    "NotIn": "notin",
    "Exists": "exists",
    "DoesNotExist": "!",
}


class Requirement(Frozen):
    """One condition on one label key; ``values`` is empty for existence checks."""

    key: str
    operator: Operator
    values: tuple[str, ...]

    __slots__ = ("key", "operator", "values")

    def __init__(self, key: str, operator: Operator, values: tuple[str, ...] = ()) -> None:
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "operator", operator)
        object.__setattr__(self, "values", values)

    def matches(self, labels: Mapping[str, str]) -> bool:
        present = self.key in labels
        if self.operator == "exists":
            return present
        if self.operator == "!":
            return not present
        if self.operator in ("=", "in"):
            return present and labels[self.key] in self.values
        return not present or labels[self.key] not in self.values  # "!=" and "notin"

    def __str__(self) -> str:
        if self.operator == "exists":
            return self.key
        if self.operator == "!":
            return f"!{self.key}"
        if self.operator in ("=", "!="):
            return f"{self.key}{self.operator}{self.values[0]}"
        return f"{self.key} {self.operator} ({','.join(self.values)})"


class LabelSelector(Frozen):
    """All requirements must hold; no requirement at all selects everything."""

    requirements: tuple[Requirement, ...]

    __slots__ = ("requirements",)

    def __init__(self, requirements: tuple[Requirement, ...] = ()) -> None:
        object.__setattr__(self, "requirements", requirements)

    @classmethod
    def parse(cls, text: str) -> LabelSelector:
        """Parse ``labelSelector`` syntax; :class:`InvalidInput` names every bad requirement."""
        problems: list[str] = []
        requirements: list[Requirement] = []
        for part in _split_top_level(text):
            try:
                requirements.append(_parse_requirement(part))
            except ValueError as exc:
                problems.append(str(exc))
        if problems:
            raise InvalidInput(f"label selector {text!r}", problems)
        return cls(tuple(requirements))

    @classmethod
    def from_match(
        cls,
        match_labels: Mapping[str, str] | None,
        match_expressions: Sequence[Mapping[str, Any]] | None = None,
    ) -> LabelSelector:
        """Build from a ``metav1.LabelSelector``'s ``matchLabels`` and ``matchExpressions``."""
        problems: list[str] = []
        requirements: list[Requirement] = []
        for key, value in (match_labels or {}).items():
            if _check_key(str(key), problems, f"matchLabels[{key!r}]"):
                if _VALUE_RE.fullmatch(str(value)) is None:
                    problems.append(f"matchLabels[{key!r}]: invalid value {value!r}")
                requirements.append(Requirement(str(key), "=", (str(value),)))
        for index, expression in enumerate(match_expressions or ()):
            field = f"matchExpressions[{index}]"
            requirement = _expression_requirement(expression, field, problems)
            if requirement is not None:
                requirements.append(requirement)
        if problems:
            raise InvalidInput("label selector", problems)
        return cls(tuple(requirements))

    def matches(self, labels: Mapping[str, str]) -> bool:
        return all(requirement.matches(labels) for requirement in self.requirements)

    @property
    def is_everything(self) -> bool:
        return not self.requirements

    def __str__(self) -> str:
        return ",".join(str(requirement) for requirement in self.requirements)


def _split_top_level(text: str) -> list[str]:
    """Split on commas outside parentheses; an empty text has no parts."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    if len(parts) == 1 and not parts[0].strip():
        return []
    return parts


def _parse_requirement(part: str) -> Requirement:
    text = part.strip()
    if not text:
        raise ValueError("empty requirement (stray comma?)")
    if text.startswith("!"):
        return Requirement(_valid_key(text[1:].strip()), "!")
    if (match := _SET_RE.match(text)) is not None:
        key, operator, inner = match.groups()
        values = tuple(value.strip() for value in inner.split(","))
        if not values or any(_VALUE_RE.fullmatch(value) is None for value in values):
            raise ValueError(f"invalid values in {text!r}")
        return Requirement(_valid_key(key), "in" if operator == "in" else "notin", tuple(sorted(set(values))))
    if (match := _EQUALITY_RE.match(text)) is not None:
        key, operator, value = match.groups()
        if _VALUE_RE.fullmatch(value) is None:
            raise ValueError(f"invalid value {value!r} in {text!r}")
        return Requirement(_valid_key(key), "!=" if operator == "!=" else "=", (value,))
    return Requirement(_valid_key(text), "exists")


def _valid_key(key: str) -> str:
    if _KEY_RE.fullmatch(key) is None:
        raise ValueError(f"invalid label key {key!r}")
    return key


def _check_key(key: str, problems: list[str], field: str) -> bool:
    if _KEY_RE.fullmatch(key) is None:
        problems.append(f"{field}: invalid label key {key!r}")
        return False
    return True


def _expression_requirement(
    expression: Mapping[str, Any], field: str, problems: list[str]
) -> Requirement | None:
    key = expression.get("key")
    operator = _EXPRESSION_OPERATORS.get(str(expression.get("operator")))
    raw_values = expression.get("values") or []
    if not isinstance(key, str) or not _check_key(key, problems, f"{field}.key"):
        if not isinstance(key, str):
            problems.append(f"{field}.key: required")
        return None
    if operator is None:
        problems.append(f"{field}.operator: unsupported value {expression.get('operator')!r}")
        return None
    if not isinstance(raw_values, list) or not all(isinstance(v, str) for v in raw_values):
        problems.append(f"{field}.values: must be a list of strings")
        return None
    if operator in ("in", "notin") and not raw_values:
        problems.append(f"{field}.values: must be non-empty for operator {expression.get('operator')}")
        return None
    if operator in ("exists", "!") and raw_values:
        problems.append(f"{field}.values: must be empty for operator {expression.get('operator')}")
        return None
    return Requirement(key, operator, tuple(sorted(set(raw_values))))


FIELD_LABELS = METADATA_LABELS
"""The fields mom can select on."""

_FIELD_TERM_RE = re.compile(r"^\s*([A-Za-z.]+)\s*(==|!=|=)\s*(.*?)\s*$")


class FieldTerm(Frozen):
    """One ``field=value`` or ``field!=value`` term of a field selector."""

    field: str
    operator: Literal["=", "!="]
    value: str

    __slots__ = ("field", "operator", "value")

    def __init__(self, field: str, operator: Literal["=", "!="], value: str) -> None:
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "operator", operator)
        object.__setattr__(self, "value", value)


class FieldSelector(Frozen):
    """Equality terms on field labels, all of which must hold.

    ``resource`` (group, resource) names whose field labels the terms use, for the few fields
    whose value lives under another path (an event's ``source``).
    """

    terms: tuple[FieldTerm, ...]
    resource: tuple[str, str]

    __slots__ = ("resource", "terms")

    def __init__(self, terms: tuple[FieldTerm, ...] = (), resource: tuple[str, str] = ("", "")) -> None:
        object.__setattr__(self, "terms", terms)
        object.__setattr__(self, "resource", resource)

    @classmethod
    def parse(
        cls,
        text: str,
        supported: tuple[str, ...] = FIELD_LABELS,
        resource: tuple[str, str] = ("", ""),
    ) -> FieldSelector:
        """Parse ``fieldSelector`` syntax; fields outside ``supported`` or other operators are
        :class:`InvalidInput`."""
        problems: list[str] = []
        terms: list[FieldTerm] = []
        parts = text.split(",") if text.strip() else []
        for part in parts:
            match = _FIELD_TERM_RE.match(part)
            if match is None:
                problems.append(f"invalid term {part.strip()!r}: expected FIELD=VALUE or FIELD!=VALUE")
                continue
            field, operator, value = match.groups()
            if field not in supported:
                problems.append(f"field label not supported: {field!r} (supported: {', '.join(supported)})")
                continue
            terms.append(FieldTerm(field, "!=" if operator == "!=" else "=", value))
        if problems:
            raise InvalidInput(f"field selector {text!r}", problems)
        return cls(tuple(terms), resource)

    def matches(self, obj: dict[str, Any], namespace: str | None = None) -> bool:
        """Whether ``obj`` passes; ``namespace`` overrides the object's own (where it was found)."""
        for term in self.terms:
            if term.field == "metadata.namespace" and namespace is not None:
                actual = namespace
            else:
                actual = field_value(obj, term.field, self.resource)
            if (actual == term.value) != (term.operator == "="):
                return False
        return True

    @property
    def is_everything(self) -> bool:
        return not self.terms

    def __str__(self) -> str:
        return ",".join(f"{t.field}{t.operator}{t.value}" for t in self.terms)
