"""JSONPath in the PaesslerAG dialect of input-resources documents.

Covers: root, dotted and bracketed keys, indexes (negative too), unions, slices, wildcards on
lists and maps, recursive descent, filters with ==, !=, <, >, =~, &&, ||, !, parentheses and
literals (the && expression of the Go fixture anded-indirect-references-01), definiteness,
a definite path that misses a key raising JsonPathNoMatch while indefinite ones skip, and
parse errors carrying a reason.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from mom.api.jsonpath import JsonPathNoMatch, parse_jsonpath

INGRESS: dict[str, Any] = {
    "metadata": {"name": "cluster", "labels": {"app.kubernetes.io/name": "ingress"}},
    "spec": {
        "componentRoutes": [
            {
                "name": "my-route",
                "namespace": "openshift-authentication",
                "servingCertKeyPairSecret": {"name": "a"},
            },
            {"name": "my-route", "namespace": "other", "servingCertKeyPairSecret": {"name": "b"}},
            {
                "name": "console",
                "namespace": "openshift-authentication",
                "servingCertKeyPairSecret": {"name": "c"},
            },
            {"name": "bare", "namespace": "openshift-authentication"},
        ],
        "replicas": [1, 2, 3, 4],
    },
}


def evaluate(expression: str, obj: Any = INGRESS) -> list[Any]:
    return parse_jsonpath(expression).evaluate(obj)


def test_the_go_fixture_and_expression_selects_only_the_matching_route() -> None:
    expression = (
        '$.spec.componentRoutes[?(@.name == "my-route" && @.namespace == "openshift-authentication")]'
        ".servingCertKeyPairSecret.name"
    )
    assert evaluate(expression) == ["a"]


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("$.metadata.name", ["cluster"]),
        ("$['metadata']['name']", ["cluster"]),
        ("$.metadata.labels['app.kubernetes.io/name']", ["ingress"]),
        ("$.spec.replicas[0]", [1]),
        ("$.spec.replicas[-1]", [4]),
        ("$.spec.replicas[0,2]", [1, 3]),
        ("$.spec.replicas[1:3]", [2, 3]),
        ("$.spec.replicas[::2]", [1, 3]),
        ("$.spec.replicas", [[1, 2, 3, 4]]),
        ("$.spec.componentRoutes[*].servingCertKeyPairSecret.name", ["a", "b", "c"]),
        ("$.metadata.*", ["cluster", {"app.kubernetes.io/name": "ingress"}]),
        ("$..servingCertKeyPairSecret.name", ["a", "b", "c"]),
        ("$.spec.componentRoutes[?(@.name != 'my-route')].name", ["console", "bare"]),
        ("$.spec.componentRoutes[?(@.namespace == 'other' || @.name == 'bare')].name", ["my-route", "bare"]),
        ("$.spec.componentRoutes[?(!(@.namespace == 'openshift-authentication'))].name", ["my-route"]),
        ("$.spec.componentRoutes[?(@.servingCertKeyPairSecret)].name", ["my-route", "my-route", "console"]),
        ("$.spec.componentRoutes[?(@.name =~ '^con')].name", ["console"]),
        ("$.spec.replicas[?(@ > 2)]", [3, 4]),
        ("$.spec.replicas[?(@ <= 2 && @ >= 2)]", [2]),
        (
            "$.spec.componentRoutes[?(@.namespace == $.spec.componentRoutes[1].namespace)].name",
            ["my-route"],
        ),
    ],
)
def test_selectors_return_matches_in_document_order(expression: str, expected: list[Any]) -> None:
    assert evaluate(expression) == expected


def test_missing_operand_in_a_filter_never_matches_whatever_the_operator() -> None:
    assert evaluate("$.spec.componentRoutes[?(@.missing != 'x')].name") == []
    assert evaluate("$.spec.componentRoutes[?(@.missing == null)].name") == []


def test_definite_path_missing_a_key_raises_while_indefinite_paths_skip() -> None:
    definite = parse_jsonpath("$.spec.trustedCA.name")
    assert definite.definite
    with pytest.raises(JsonPathNoMatch, match="trustedCA"):
        definite.evaluate(INGRESS)
    with pytest.raises(JsonPathNoMatch, match="out of range"):
        evaluate("$.spec.replicas[9]")
    wildcard = parse_jsonpath("$.spec.componentRoutes[*].servingCertKeyPairSecret.name")
    assert not wildcard.definite
    assert wildcard.evaluate({"spec": {"componentRoutes": [{"name": "x"}]}}) == []
    assert evaluate("$..nothing") == []


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("", "empty"),
        ("spec.name", "must start with '$'"),
        ("$.foo[", "expected a quoted key or an index"),
        ("$.a[?(@.x == )]", "expected a value"),
        ('$.a["x]', "unterminated"),
        ("$.", "expected a key name"),
        ("$.a[?(@.x == 'y']", "expected ')'"),
        ("$.a b", "unexpected"),
        ("$.a[1:2:0]", "step"),
    ],
)
def test_malformed_expressions_are_refused_with_a_reason(expression: str, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)):
        parse_jsonpath(expression)
