"""Label and field selectors, table-driven.

Covers: every label-selector operator (``=``, ``==``, ``!=``, ``in``, ``notin``, existence,
``!key``) alone and combined; the empty selector; ``matchLabels``/``matchExpressions``;
syntax errors reported as InvalidInput; field selectors on metadata.name and
metadata.namespace (with the directory's namespace overriding the object's), and refusal of
other fields.
"""

from __future__ import annotations

from typing import Any

import pytest

from mom.api.errors import InvalidInput
from mom.mustgather.selectors import FieldSelector, LabelSelector

LABELS = {"app": "web", "tier": "front", "example.com/owner": "team-a"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", True),
        ("app=web", True),
        ("app==web", True),
        ("app=db", False),
        ("app!=db", True),
        ("app!=web", False),
        ("missing!=x", True),
        ("app in (web, db)", True),
        ("app in (db)", False),
        ("missing in (x)", False),
        ("app notin (db,cache)", True),
        ("app notin (web)", False),
        ("missing notin (x)", True),
        ("tier", True),
        ("missing", False),
        ("!missing", True),
        ("!tier", False),
        ("example.com/owner=team-a", True),
        ("app=web,tier=front", True),
        ("app=web,tier=back", False),
        ("app in (web,db),!missing,tier", True),
        ("app=", False),
        ("missing=", False),
    ],
)
def test_label_selector(text: str, expected: bool) -> None:
    assert LabelSelector.parse(text).matches(LABELS) is expected


@pytest.mark.parametrize(
    "text", ["app=web,", "a b", "app in web", "=x", "app=we b", "-bad=x", "app in (a", "!"]
)
def test_label_selector_syntax_errors(text: str) -> None:
    with pytest.raises(InvalidInput, match="label selector"):
        LabelSelector.parse(text)


@pytest.mark.parametrize(
    ("match_labels", "expressions", "expected"),
    [
        ({"app": "web"}, None, True),
        ({"app": "db"}, None, False),
        (None, [{"key": "app", "operator": "In", "values": ["web", "db"]}], True),
        (None, [{"key": "app", "operator": "NotIn", "values": ["web"]}], False),
        (None, [{"key": "tier", "operator": "Exists"}], True),
        (None, [{"key": "tier", "operator": "DoesNotExist"}], False),
        ({"app": "web"}, [{"key": "missing", "operator": "DoesNotExist"}], True),
        (None, None, True),
    ],
)
def test_label_selector_from_match(
    match_labels: dict[str, str] | None, expressions: list[dict[str, Any]] | None, expected: bool
) -> None:
    assert LabelSelector.from_match(match_labels, expressions).matches(LABELS) is expected


@pytest.mark.parametrize(
    ("expressions", "problem"),
    [
        ([{"key": "app", "operator": "In", "values": []}], "must be non-empty"),
        ([{"key": "app", "operator": "Exists", "values": ["x"]}], "must be empty"),
        ([{"key": "app", "operator": "Near"}], "unsupported value 'Near'"),
        ([{"operator": "Exists"}], "matchExpressions[0].key: required"),
    ],
)
def test_label_selector_from_match_errors(expressions: list[dict[str, Any]], problem: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        LabelSelector.from_match(None, expressions)
    assert problem in str(caught.value)


OBJECT = {"metadata": {"name": "a", "namespace": "ns1"}}


@pytest.mark.parametrize(
    ("text", "namespace", "expected"),
    [
        ("", None, True),
        ("metadata.name=a", None, True),
        ("metadata.name==a", None, True),
        ("metadata.name=b", None, False),
        ("metadata.name!=b", None, True),
        ("metadata.namespace=ns1", None, True),
        ("metadata.namespace=ns1", "dir-ns", False),
        ("metadata.namespace=dir-ns", "dir-ns", True),
        ("metadata.name=a,metadata.namespace!=ns1", None, False),
        ("metadata.name=a,metadata.namespace=ns1", None, True),
    ],
)
def test_field_selector(text: str, namespace: str | None, expected: bool) -> None:
    assert FieldSelector.parse(text).matches(OBJECT, namespace=namespace) is expected


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("status.phase=Running", "field label not supported: 'status.phase'"),
        ("metadata.name", "invalid term"),
    ],
)
def test_field_selector_errors(text: str, problem: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        FieldSelector.parse(text)
    assert problem in str(caught.value)
