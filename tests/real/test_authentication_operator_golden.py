"""The real cluster-authentication-operator's own golden cases under mom and under the Go harness.

Covers, with both harnesses run side by side on copies of the six cases, each from an operator
repository laid out as OpenShift CI sees it and with CI's exact command lines:
- ``--preserve-policy=KeepAlways``: mom gives every case the Go harness' verdict (five pass,
  ``minimal-cluster`` fails), exits 1 like Go, prints ``5 passed, 1 failed`` and keeps all six
  output directories;
- mom says why ``minimal-cluster`` fails in one line (stderr and the junit failure message): the
  CertificateSigningRequest differs only in ``spec.request``, a PEM certificate request on both
  sides, while the Go harness' reason is the same request's body diff;
- ``--replace-expected-output=true``: all six pass, the certificate request's ``spec.request`` is
  the only compared content that changes in the expected outputs (events are not compared), and
  no log file or ``Unspecified/`` is stored.
"""

from __future__ import annotations

from pathlib import Path

from harnesses import go_verdicts, mom_verdicts, run_harness
from tests.real_operators import operator_repository

from mom.mutationdir.equivalence import compare_outputs

BINARY_NAME = "authentication-operator"
CASES = [
    "overall/minimal-cluster",
    "overall/oauth-apiserver-creation-minimal",
    "overall/oauth-server-configobserver",
    "overall/oauth-server-creation-minimal",
    "overall/oauth-server-payloadcontroller",
    "overall/oauth-server-staticresource",
]
CSR_SUMMARY = (
    "expected output mismatch: [UserWorkload] Create-CertificateSigningRequest.v1.certificates.k8s.io/"
    "system:openshift:openshift-authenticator-[] differs only in body field spec.request "
    "(a PEM CERTIFICATE REQUEST on both sides"
)


def test_mom_gives_the_go_verdicts_and_one_line_reason_on_the_six_cases(
    tmp_path: Path,
    mom_executable: Path,
    go_harness: Path,
    authentication_operator: Path,
    authentication_operator_tests: Path,
) -> None:
    mom_repo = operator_repository(
        tmp_path / "mom-repo", authentication_operator_tests, authentication_operator, BINARY_NAME
    )
    go_repo = operator_repository(
        tmp_path / "go-repo", authentication_operator_tests, authentication_operator, BINARY_NAME
    )
    mom = run_harness(
        mom_executable, mom_repo, f"--output-dir={tmp_path / 'mom-out'}", "--preserve-policy=KeepAlways"
    )
    go = run_harness(
        go_harness, go_repo, f"--output-dir={tmp_path / 'go-out'}", "--preserve-policy=KeepAlways"
    )

    expected = {case: case != "overall/minimal-cluster" for case in CASES}
    assert go_verdicts(tmp_path / "go-out" / "junit.xml") == expected, go.stderr
    assert mom_verdicts(tmp_path / "mom-out" / "junit.xml") == expected, mom.stderr
    assert (mom.returncode, go.returncode) == (1, 1)
    assert mom.stdout.splitlines()[-1] == "5 passed, 1 failed"
    assert "Create-CertificateSigningRequest" in go.stderr and "request:" in go.stderr

    summaries = [line.strip() for line in mom.stderr.splitlines() if "expected output mismatch" in line]
    assert len(summaries) == 1 and summaries[0].startswith(CSR_SUMMARY), mom.stderr
    junit = (tmp_path / "mom-out" / "junit.xml").read_text()
    assert f'message="{CSR_SUMMARY}' in junit.replace("&quot;", '"')
    for case in CASES:
        assert (tmp_path / "mom-out" / case / "stderr.log").is_file()


def test_replacing_expected_output_changes_only_the_certificate_request(
    tmp_path: Path, mom_executable: Path, authentication_operator: Path, authentication_operator_tests: Path
) -> None:
    repo = operator_repository(
        tmp_path / "repo", authentication_operator_tests, authentication_operator, BINARY_NAME
    )
    mom = run_harness(
        mom_executable, repo, f"--output-dir={tmp_path / 'out'}", "--replace-expected-output=true"
    )
    assert mom.returncode == 0, mom.stderr
    assert mom.stdout.splitlines()[-1] == "6 passed, 0 failed"

    changes = {}
    for case in CASES:
        replaced = repo / "test-data" / "apply-configuration" / case / "expected-output"
        assert not {"stdout.log", "stderr.log", "Unspecified"} & {p.name for p in replaced.iterdir()}
        changes[case] = [
            (d.cluster_type, d.subject, [f.path for f in d.fields])
            for d in compare_outputs(authentication_operator_tests / case / "expected-output", replaced)
        ]
    assert changes == {
        **{case: [] for case in CASES},
        "overall/minimal-cluster": [
            (
                "UserWorkload",
                "Create-CertificateSigningRequest.v1.certificates.k8s.io/system:openshift:openshift-authenticator-[]",
                ["spec.request"],
            )
        ],
    }
