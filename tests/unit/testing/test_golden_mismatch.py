"""The one-line summary of an expected-output mismatch.

Covers: a request that only changed names its cluster type, identity and the only differing
fields; a field holding a PEM block of one type on both sides (raw or base64, as in a
CertificateSigningRequest's ``spec.request``) is named as generated material, while differing
block types, non-PEM text, non-strings and a missing side are not; several changed requests are
listed up to a limit and then counted; missing or extra requests give a count by kind; the
summary is one line, stands above the detailed diff in a failure report and is the junit message.
"""

from __future__ import annotations

import base64
import copy
from pathlib import Path

from golden_support import CONFIGMAP_FOO, MakeCase, default_script

from mom.mutationdir.equivalence import Difference, FieldDifference
from mom.testing.harness import SuiteOptions, run_suite
from mom.testing.mismatch import pem_block_type, summarize_mismatch

CSR = "Create-CertificateSigningRequest.v1.certificates.k8s.io/system:openshift:authenticator-[]"


def _pem(kind: str, payload: str) -> str:
    return f"-----BEGIN {kind}-----\n{payload}\n-----END {kind}-----\n"


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _changed(subject: str, *fields: FieldDifference, cluster_type: str = "UserWorkload") -> Difference:
    return Difference(cluster_type, subject, "body", "request differs:\n(diff)", fields)


def test_a_base64_certificate_request_is_named_as_generated_material() -> None:
    field = FieldDifference(
        "spec.request",
        _b64(_pem("CERTIFICATE REQUEST", "MIIBone")),
        _b64(_pem("CERTIFICATE REQUEST", "MIIBtwo")),
    )
    summary = summarize_mismatch([_changed(CSR, field)])
    assert summary == (
        f"expected output mismatch: [UserWorkload] {CSR} differs only in body field spec.request "
        "(a PEM CERTIFICATE REQUEST on both sides: material generated anew on each run never matches a recording)"
    )
    assert "\n" not in summary


def test_raw_pem_is_recognised_and_other_values_are_not() -> None:
    assert pem_block_type(_pem("RSA PRIVATE KEY", "abc")) == "RSA PRIVATE KEY"
    assert pem_block_type(_b64(_pem("CERTIFICATE", "abc"))) == "CERTIFICATE"
    assert pem_block_type("not base64 at all!") is None
    assert pem_block_type(_b64("plain text")) is None
    assert pem_block_type(42) is None
    assert pem_block_type(None) is None


def test_plain_value_changes_list_only_the_fields() -> None:
    difference = _changed(
        "Create-ConfigMap.v1./foo[ns]",
        FieldDifference("data.counter", "1", "2"),
        FieldDifference("data.mode", "a", None),
    )
    assert summarize_mismatch([difference]) == (
        "expected output mismatch: [UserWorkload] Create-ConfigMap.v1./foo[ns] differs only in body "
        "fields data.counter, data.mode"
    )


def test_mixed_pem_types_or_a_missing_side_are_not_called_generated() -> None:
    other_types = FieldDifference("data.tls", _pem("CERTIFICATE", "a"), _pem("PRIVATE KEY", "b"))
    one_side = FieldDifference("data.tls", _pem("CERTIFICATE", "a"), None)
    for field in (other_types, one_side):
        assert "PEM" not in summarize_mismatch([_changed("Create-Secret.v1./tls[ns]", field)])


def test_several_changed_requests_are_listed_up_to_three_then_counted() -> None:
    differences = [
        _changed(f"Create-ConfigMap.v1./cm{i}[ns]", FieldDifference("data.x", "1", "2")) for i in range(5)
    ]
    summary = summarize_mismatch(differences)
    assert summary.startswith(
        "expected output mismatch: 5 changed requests: [UserWorkload] Create-ConfigMap.v1./cm0"
    )
    assert "cm2[ns] differs only in body field data.x; and 2 more" in summary
    assert "cm3" not in summary


def test_missing_and_extra_requests_are_counted_by_kind() -> None:
    differences = [
        Difference("UserWorkload", "a", "missing", "actual output has no such request"),
        Difference("UserWorkload", "b", "extra", "expected output has no such request"),
        _changed("c", FieldDifference("data.x", "1", "2")),
    ]
    assert (
        summarize_mismatch(differences)
        == "expected output mismatch: 3 differences (1 body, 1 extra, 1 missing)"
    )
    assert summarize_mismatch([]) == ""


def test_failure_report_puts_the_summary_above_the_diff(
    tmp_path: Path, make_case: MakeCase, operator_binary: Path
) -> None:
    expected = default_script()
    changed = copy.deepcopy(CONFIGMAP_FOO)
    changed["body"]["data"]["counter"] = "7"
    expected["mutations"]["UserWorkload"] = [changed]
    make_case("wrong", expected=expected)
    suite = run_suite(
        SuiteOptions(tmp_path / "tests", tmp_path / "out", tmp_path, binary=str(operator_binary))
    )
    (result,) = suite.results
    summary = (
        "expected output mismatch: [UserWorkload] Create-ConfigMap.v1./foo[openshift-authentication] "
        "differs only in body field data.counter"
    )
    assert result.message == summary
    lines = result.failure_report().splitlines()
    assert lines.index(f"  {summary}") + 1 == lines.index("  1 difference:")
