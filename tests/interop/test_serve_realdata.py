"""kubectl against ``mom serve`` over the real aws must-gather (../shared/realdata).

Covers: ``kubectl get clusteroperators`` lists every cluster operator the loader finds (same
count, same names), as a table and by name.
"""

from __future__ import annotations

import pytest

from mom.api.resources import GroupVersionResource, name_of

pytestmark = pytest.mark.realdata

CLUSTEROPERATORS = GroupVersionResource("config.openshift.io", "v1", "clusteroperators")


def test_get_clusteroperators_lists_all_of_them(serve_must_gather, aws_must_gather, kubectl) -> None:
    served = serve_must_gather(aws_must_gather)
    expected = [name_of(o) for o in served.snapshot.list(CLUSTEROPERATORS)]
    names = kubectl(served.url, "get", "clusteroperators", "-o", "name").stdout.split()
    assert names == [f"clusteroperator.config.openshift.io/{name}" for name in expected]
    assert len(expected) > 20
    table = kubectl(served.url, "get", "clusteroperators").stdout.splitlines()
    assert table[0].split()[0] == "NAME"
    assert [line.split()[0] for line in table[1:]] == expected
