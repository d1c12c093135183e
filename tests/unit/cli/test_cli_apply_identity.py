"""``mom apply --operator``: whose account writes is settled before anything is sent.

A wrong operator name, an operator named for a cluster that does not impersonate, and an
impersonating cluster without an operator are each one error line and exit 1; no connection
is attempted (the kubeconfig here points nowhere). Impersonated writes themselves are covered
against a real kube-apiserver in tests/live/test_live_impersonation.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mom.cli.main import main
from mom.serialization import dump_json


def _config(tmp_path: Path, *, impersonate: bool) -> Path:
    (tmp_path / "kube.yaml").write_text("{}")
    (tmp_path / "mutations").mkdir()
    document = {
        "operators": [{"name": "sample", "python": "mom.operator.sample.operator:SAMPLE_OPERATOR"}],
        "clusters": [{"name": "live", "kubeconfig": "kube.yaml", "impersonate": impersonate}],
        "instances": [{"name": "live", "topology": "Standalone", "cluster": "live"}],
    }
    (tmp_path / "mom.yaml").write_bytes(dump_json(document))
    return tmp_path / "mom.yaml"


@pytest.mark.parametrize(
    ("impersonate", "extra", "message"),
    [
        (True, [], "--operator: Required value: cluster live impersonates"),
        (True, ["--operator", "nope"], "--operator: Not found: 'nope': operators are sample"),
        (False, ["--operator", "sample"], "--operator: Invalid value: cluster live does not impersonate"),
    ],
)
def test_who_writes_is_checked_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], impersonate: bool, extra: list[str], message: str
) -> None:
    config = _config(tmp_path, impersonate=impersonate)
    code = main(["apply", "--mutations", str(tmp_path / "mutations"), "--config", str(config), *extra])
    err = capsys.readouterr().err
    assert code == 1
    assert message in err
    assert len(err.strip().splitlines()) == 1, err
