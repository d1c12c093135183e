"""An operator's declared mutations are checked for what they would write, not only where.

Each test is an attack by an operator executable writing its own mutation files, run by
``mom run --once`` as a user runs it. Covers: a declared merge patch that turns a ConfigMap
into a Secret in kube-system, a JSON patch that renames its object, and a strategic patch that
replaces the whole object with one that has no kind; update bodies holding values JSON cannot
carry (``!!binary``, integers past 64 bits, non-string keys, ``!!set``, ``.nan``); names the
kube-apiserver refuses (upper case, 254 characters, a slash, a bad namespace, a Service name
starting with a digit). Every time: no traceback, the cluster directory is byte-for-byte
unchanged, the journal says what was refused and why, and the next run works.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.unit.containment.containment_support import (
    CONFIGMAPS,
    NAMESPACE,
    declares,
    hostile_manager,
    mom_run,
    mutation_files,
    put_configmap,
    request,
    tree,
)

from mom.api.cluster import Action
from mom.journal.journal import Journal
from mom.journal.records import MutationState
from mom.mustgather.loader import load_must_gather

MERGE = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"


def _attack(tmp_path: Path, files: dict[str, str], *names: str) -> tuple[Path, dict[str, bytes]]:
    config = hostile_manager(tmp_path, declares(*names or ("shared",)), files)
    cluster = config.parent / "cluster"
    put_configmap(cluster, "shared", {"owner": "nobody"})
    return config, tree(cluster)


def _journaled(config: Path) -> list[tuple[str, MutationState, str]]:
    with Journal(config.parent / "state" / "journal.sqlite", create=False) as journal:
        return [
            (m.request.name, m.state, m.reason)
            for run in journal.runs()
            for m in journal.mutations_of(run.run_id)
        ]


def _ran_clean(config: Path) -> dict[str, object]:
    done = mom_run(config)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    report: dict[str, object] = json.loads(done.stdout)
    return report


@pytest.mark.parametrize(
    ("patch_type", "patch", "why"),
    [
        (MERGE, '{"kind":"Secret","metadata":{"namespace":"kube-system"}}', "body.kind"),
        (MERGE, '{"apiVersion":"v2","data":{"a":"b"}}', "body.apiVersion"),
        (MERGE, '{"metadata":{"name":"other"}}', "body.metadata.name"),
        (JSON_PATCH, '[{"op":"replace","path":"/metadata/namespace","value":"kube-system"}]', "body[0].path"),
        (JSON_PATCH, '[{"op":"remove","path":"/kind"}]', "body[0].path"),
    ],
)
def test_a_patch_may_not_rewrite_the_identity_of_its_object(
    tmp_path: Path, patch_type: str, patch: str, why: str
) -> None:
    config, before = _attack(
        tmp_path, mutation_files([request(Action.PATCH, "shared", patch, patch_type=patch_type)])
    )
    report = _ran_clean(config)
    assert report["pairs"][0]["refused"] == 1  # type: ignore[index]
    ((name, state, reason),) = _journaled(config)
    assert (name, state) == ("shared", MutationState.REFUSED)
    assert why in reason and "a patch may not change it" in reason
    cluster = config.parent / "cluster"
    assert tree(cluster) == before
    _ran_clean(config)  # every later tick still reads the cluster
    assert load_must_gather(cluster).get(CONFIGMAPS, namespace=NAMESPACE, name="shared")["data"] == {
        "owner": "nobody"
    }


def test_a_patch_producing_an_object_without_identity_is_stopped_when_applied(tmp_path: Path) -> None:
    """No static rule can see this one: ``$patch: replace`` drops apiVersion and kind."""
    patch = '{"$patch":"replace","metadata":{"name":"shared","resourceVersion":"1"},"data":{"x":"y"}}'
    config, before = _attack(
        tmp_path, mutation_files([request(Action.PATCH, "shared", patch, patch_type=STRATEGIC)])
    )
    done = mom_run(config)
    assert "Traceback" not in done.stderr and done.returncode == 1, done.stderr
    ((_, state, reason),) = _journaled(config)
    assert state is MutationState.FAILED
    assert "apiVersion: Invalid value: None: the write is for 'v1'" in reason
    assert "kind: Invalid value: None: the write is for 'ConfigMap'" in reason
    assert tree(config.parent / "cluster") == before
    _ran_clean(config)  # the tree still reads: the next tick works
    assert tree(config.parent / "cluster") == before


UNREPRESENTABLE = {
    "binary": ("  blob: !!binary aGVsbG8=\n", "a !!binary value"),
    "huge-integer": ("  n: 184467440737095516160\n", "outside the 64-bit range"),
    "non-string-key": ("  1: one\n", "mapping key '1' is not a string"),
    "set": ("  s: !!set {a, b}\n", "a !!set value"),
    "not-a-number": ("  f: .nan\n", "is not a finite number"),
}


@pytest.mark.parametrize("case", sorted(UNREPRESENTABLE))
def test_an_update_body_json_cannot_carry_fails_the_run_and_changes_nothing(
    tmp_path: Path, case: str
) -> None:
    """The operator's output is read as JSON-shaped data only: such a body makes the output
    unreadable, so the run fails with the file and the reason, and nothing of it is applied."""
    value, why = UNREPRESENTABLE[case]
    body = f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: shared\n  namespace: {NAMESPACE}\ndata:\n{value}"
    config, before = _attack(tmp_path, mutation_files([request(Action.UPDATE, "shared", body)]))
    done = mom_run(config)
    assert "Traceback" not in done.stderr and done.returncode == 1, done.stderr
    with Journal(config.parent / "state" / "journal.sqlite", create=False) as journal:
        (run,) = journal.runs()
        error = journal.run(run.run_id).error
        assert journal.mutations_of(run.run_id) == []
    assert "unreadable output" in error and "body-shared.yaml" in error and why in error, error
    assert tree(config.parent / "cluster") == before
    _ran_clean(config)  # the same inputs: nothing runs, and the cluster still reads
    assert tree(config.parent / "cluster") == before
