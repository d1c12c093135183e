"""Fuzzing every parser of untrusted input: it answers with mom's own errors, or with values
that can be written back, and never with anything else.

Covers: YAML/JSON documents (whatever is accepted serializes as JSON and as Go YAML), resource
files in a tree (``load_must_gather`` and the pruning reader), the manager configuration,
``test.yaml`` test descriptions, label and field selectors, served request paths and bodies
(never a 500, every error a ``Status``), mutation directories, ``controller-results.yaml``,
and input/output resource declarations.

Runs ``MOM_FUZZ_EXAMPLES`` examples per parser (default 300, the same ones each run, some 15 s in all); raise it
for a longer hunt: ``MOM_FUZZ_EXAMPLES=20000 pytest tests/unit/containment -k fuzz``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from mom.api.errors import MomError
from mom.api.input_resources import InputResources
from mom.api.output_resources import OutputResources
from mom.api.resources import GroupVersionResource, ObjectRef
from mom.api.results import ControllerResults
from mom.cli.main import main
from mom.client.paths import parse_path
from mom.inputs.gather import gather_inputs
from mom.inputs.tree import TreeSource
from mom.manager import config as manager_config
from mom.mustgather.loader import load_must_gather
from mom.mustgather.selectors import FieldSelector, LabelSelector
from mom.mustgather.store import Snapshot
from mom.mutationdir.directory import read_mutation_dir
from mom.serialization import dump_go_yaml, dump_json, load_document
from mom.server.intake import Limits
from mom.server.runner import build_app
from mom.testing.cases import parse_case_description

CI_EXAMPLES = 300
EXAMPLES = int(os.environ.get("MOM_FUZZ_EXAMPLES", str(CI_EXAMPLES)))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= CI_EXAMPLES,  # CI runs the same examples every time
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    database=None,
)

VOCABULARY = [
    "apiVersion", "kind", "metadata", "name", "namespace", "items", "labels", "annotations",
    "generateName", "uid", "resourceVersion", "spec", "status", "data", "v1", "List", "ConfigMap",
    "ConfigMapList", "Secret", "Namespace", "journal", "concurrency", "debounce", "maxBackoff",
    "operators", "clusters", "instances", "python", "command", "resync", "timeout", "controllers",
    "manifestDir", "format", "kubeconfig", "context", "impersonate", "topology", "cluster",
    "management", "guest", "hostedControlPlaneNamespace", "operandNamespaces", "Standalone",
    "HyperShift", "binaryName", "testName", "description", "testType", "ApplyConfiguration",
    "desiredError", "now", "topologies", "controllerResults", "controllerName", "errors",
    "Succeeded", "Failed", "applyConfigurationResources", "exactResources", "group", "version",
    "resource", "labelSelectedResources", "labelSelector", "matchLabels", "matchExpressions",
    "key", "operator", "values", "In", "NotIn", "Exists", "resourceReferences", "type",
    "referringResource", "nameJSONPath", "configurationOutputResources", "managementOutputResources",
    "userWorkloadOutputResources", "operandResources", "action", "patchType", "fieldManager",
]  # fmt: skip

_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(VOCABULARY)
)
_keys = st.sampled_from(VOCABULARY) | st.text(max_size=12)
JSON_VALUES = st.recursive(
    _scalars,
    lambda children: st.lists(children, max_size=5) | st.dictionaries(_keys, children, max_size=6),
    max_leaves=40,
)
"""Decoded documents, JSON-shaped or nearly so (NaN, huge integers), with the words parsers look for."""

YAML_PIECES = st.sampled_from(
    [
        "a: 1\n", "a: 1\na: 2\n", "- x\n", "items:\n", "- ", "  ", "{", "}", "[", "]", ": ", ", ",
        "&a ", "*a ", "!!binary aGk=", "!!set {a}", "!!python/name:os.system", "? ", ".nan", ".inf",
        "1e400", "99999999999999999999999", '"\\ud800"', "'x'", "|\n  text\n", "---\n", "...\n",
        "<<: {a: 1}\n", "\t", "#c\n", "%YAML 1.1\n", "apiVersion: v1\n", "kind: ConfigMapList\n",
        "metadata: {name: 12}\n", "metadata: [1, 2]\n", "\x00", "\ufeff", "-\n", "- - - x\n",
    ]
)  # fmt: skip
DOCUMENT_BYTES = (
    st.binary(max_size=300)
    | st.lists(YAML_PIECES, max_size=30).map(lambda parts: "".join(parts).encode("utf-8", "surrogatepass"))
    | JSON_VALUES.map(lambda value: json.dumps(value, allow_nan=True).encode())
    | JSON_VALUES.map(lambda value: yaml.safe_dump(value).encode())
)


def _writable(value: Any) -> None:
    """Whatever a parser accepted can be written out again, as JSON and as Go's YAML."""
    dump_json(value)
    dump_go_yaml(value)


@FUZZ
@given(DOCUMENT_BYTES)
def test_fuzz_documents(data: bytes) -> None:
    try:
        document = load_document(data, "fuzzed.yaml")
    except MomError:
        return
    _writable(document)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="mom-fuzz-") as directory:
        yield Path(directory)


TREE_FILES = st.sampled_from(
    [
        "namespaces/ns/core/configmaps.yaml",
        "namespaces/ns/core/configmaps/a.yaml",
        "namespaces/ns/ns.yaml",
        "cluster-scoped-resources/config.openshift.io/clusteroperators.yaml",
        "aggregated-discovery-api.yaml",
    ]
)
SPEC = InputResources.from_wire(
    {
        "applyConfigurationResources": {
            "labelSelectedResources": [
                {"version": "v1", "resource": "configmaps", "namespace": "ns", "labelSelector": {}}
            ],
            "exactResources": [
                {"group": "config.openshift.io", "version": "v1", "resource": "clusteroperators", "name": "a"}
            ],
        }
    },
    "spec",
)


@FUZZ
@given(TREE_FILES, DOCUMENT_BYTES | JSON_VALUES.map(lambda value: yaml.safe_dump(value).encode()))
def test_fuzz_tree_files(scratch: Path, relative: str, data: bytes) -> None:
    root = scratch / "tree"
    shutil.rmtree(root, ignore_errors=True)
    (root / relative).parent.mkdir(parents=True)
    (root / relative).write_bytes(data)
    try:
        snapshot = load_must_gather(root)
        _writable(list(snapshot.objects()))
    except MomError:
        pass
    try:
        gathered = gather_inputs(TreeSource(root), SPEC)
        _writable([obj for _, obj in gathered.objects])
    except MomError:
        pass


CONFIG = {
    "operators": [{"name": "o", "python": "m:o"}],
    "clusters": [{"name": "c", "manifestDir": "."}],
    "instances": [{"name": "i", "topology": "Standalone", "cluster": "c"}],
}
PATHS = (
    st.text(max_size=40)
    | st.integers(min_value=200, max_value=5000).map(lambda n: "d" * n)
    | st.integers(min_value=1, max_value=2000).map(lambda n: "d/" * n)
    | st.sampled_from(["\x00", "a\x00b", ".", "..", "/", "~", "\udcff"])
)


def _overridden(changes: dict[str, Any], cluster: dict[str, Any]) -> dict[str, Any]:
    return CONFIG | changes | {"clusters": [CONFIG["clusters"][0] | cluster]}


@FUZZ
@given(
    JSON_VALUES
    | st.dictionaries(st.sampled_from(VOCABULARY), JSON_VALUES, max_size=8)
    | st.builds(
        _overridden,
        st.dictionaries(
            st.sampled_from(["concurrency", "debounce", "maxBackoff", "journal"]), _scalars | PATHS
        ),
        st.dictionaries(
            st.sampled_from(["manifestDir", "kubeconfig", "format", "impersonate"]), _scalars | PATHS
        ),
    )
)
@example(_overridden({"concurrency": float("nan")}, {}))
@example(_overridden({"maxBackoff": float("inf"), "concurrency": 10**30}, {}))
@example(_overridden({}, {"manifestDir": "d" * 300}))
@example(_overridden({"journal": "a\x00b"}, {"manifestDir": "x/" * 3000}))
def test_fuzz_config(scratch: Path, document: Any) -> None:
    with contextlib.suppress(MomError):
        manager_config.parse_config(document, scratch / "mom.yaml")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("concurrency: .nan\n", "not representable as JSON: '.nan' is not a finite number"),
        ('{"concurrency": NaN}', "NaN is not a JSON number"),
        ("concurrency: 1e999999\n", "concurrency: Invalid value"),
        (
            "concurrency: 100000000000\n",
            "concurrency: Invalid value: 100000000000: must be a number from 1 to 1024",
        ),
        (
            "clusters:\n- {name: c, manifestDir: " + "d" * 300 + "}\n",
            "clusters[0].manifestDir: Invalid value",
        ),
    ],
)
def test_fuzz_findings_in_configs_are_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: str
) -> None:
    config = tmp_path / "mom.yaml"
    config.write_text(text)
    assert main(["run", "--config", str(config), "--once"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"mom: error: {config}: "), err
    assert expected in err[0]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mom.yaml"]


@FUZZ
@given(JSON_VALUES | st.dictionaries(st.sampled_from(VOCABULARY), JSON_VALUES, max_size=8))
def test_fuzz_test_descriptions(document: Any) -> None:
    with contextlib.suppress(MomError):
        parse_case_description(document, "test.yaml")


SELECTOR_TEXT = st.text(max_size=60) | st.lists(
    st.sampled_from(
        ["a", "b", "=", "==", "!=", ",", " in ", " notin ", "(", ")", "!", "x.y/z", " ", "metadata.name"]
    ),
    max_size=15,
).map("".join)


@FUZZ
@given(SELECTOR_TEXT, st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3))
def test_fuzz_selectors(text: str, labels: dict[str, str]) -> None:
    obj = {"metadata": {"name": "n", "namespace": "ns", "labels": labels}}
    with contextlib.suppress(MomError):
        assert isinstance(LabelSelector.parse(text).matches(labels), bool)
    with contextlib.suppress(MomError):
        assert isinstance(FieldSelector.parse(text).matches(obj, namespace="ns"), bool)


NAMESPACES = GroupVersionResource("", "v1", "namespaces")
APP = build_app(
    Snapshot.from_objects(
        [
            (
                ObjectRef(NAMESPACES, "", "ns"),
                {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "ns"}},
            )
        ]
    ),
    lambda: datetime(2024, 1, 1, tzinfo=UTC),
    None,
    True,
    Limits(max_body_bytes=4096, request_timeout=5),
)
PATH_PIECES = st.sampled_from(
    ["/", "api", "apis", "v1", "namespaces", "ns", "configmaps", "a", "status", "%00", "%2F", "..", ".", "%",
     "%ZZ", "apps", "watch", "\x7f", "é", "?watch=true", "?labelSelector=a%3D(", "?fieldSelector=x", "//"]
)  # fmt: skip


async def _call(method: str, path: str, body: bytes, content_type: str) -> tuple[int, bytes]:
    raw, _, query = path.partition("?")
    scope = {
        "type": "http",
        "method": method,
        "path": raw,
        "raw_path": raw.encode("utf-8"),
        "query_string": query.encode("utf-8"),
        "headers": [(b"content-type", content_type.encode())],
    }
    sent: list[dict[str, Any]] = []
    delivered = False

    async def receive() -> dict[str, Any]:
        nonlocal delivered
        if delivered:
            return {"type": "http.disconnect"}
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await asyncio.wait_for(APP(scope, receive, send), timeout=10)
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


@FUZZ
@given(
    st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE"]),
    st.lists(PATH_PIECES, min_size=1, max_size=8).map(lambda parts: "/" + "/".join(parts))
    | st.text(max_size=40),
    DOCUMENT_BYTES,
    st.sampled_from(
        [
            "application/json",
            "application/merge-patch+json",
            "application/json-patch+json",
            "application/strategic-merge-patch+json",
            "application/apply-patch+yaml",
            "",
        ]
    ),
)
def test_fuzz_requests(method: str, path: str, body: bytes, content_type: str) -> None:
    with contextlib.suppress(MomError):
        parse_path(path)
    if "?watch" in path:
        return  # a watch streams until the client leaves; its parameters are fuzzed as selectors
    code, answer = asyncio.run(_call(method, path, body, content_type))
    assert code != 500, answer
    if code >= 400 and answer[:1] == b"{":
        assert json.loads(answer)["kind"] == "Status"


MUTATION_FILES = st.sampled_from(
    [
        "Create/namespaces/ns/core/configmaps/abcd-body-a.yaml",
        "Create/namespaces/ns/core/configmaps/abcd-metadata-a.yaml",
        "Create/namespaces/ns/core/configmaps/abcd-options-a.yaml",
        "Update/cluster-scoped-resources/config.openshift.io/ingresses/0000-body-cluster.json",
        "Update/cluster-scoped-resources/config.openshift.io/ingresses/0000-metadata-cluster.json",
        "Delete/namespaces/ns/core/secrets/ffff-body-s.yaml",
        "ApplyStatus/namespaces/ns/core/secrets/ffff-metadata-s.yaml",
    ]
)


@FUZZ
@given(st.dictionaries(MUTATION_FILES, DOCUMENT_BYTES, min_size=1, max_size=4))
def test_fuzz_mutation_directories(scratch: Path, files: dict[str, bytes]) -> None:
    root = scratch / "mutations"
    shutil.rmtree(root, ignore_errors=True)
    for relative, data in files.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)
    try:
        for request in read_mutation_dir(root):
            request.options_document()
    except MomError:
        pass


@FUZZ
@given(JSON_VALUES | st.dictionaries(st.sampled_from(VOCABULARY), JSON_VALUES, max_size=6))
def test_fuzz_declarations_and_results(document: Any) -> None:
    for parse in (
        lambda: ControllerResults.from_wire(document, "controller-results.yaml"),
        lambda: InputResources.from_wire(document, "input-resources.yaml"),
        lambda: OutputResources.from_wire(document, "output-resources.yaml"),
    ):
        with contextlib.suppress(MomError):
            parse()
