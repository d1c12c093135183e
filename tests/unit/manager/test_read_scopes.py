"""Which files of each cluster the manager's gathering reads (:func:`mom.manager.gathering.read_scopes`).

Covers: a standalone cluster is read where the operators read and write; under HyperShift a
guest is not read in its operand namespaces (its operators see those on the management
cluster), except where configuration and user-workload outputs write to the guest, and is read
everywhere else as a standalone cluster would be; the management cluster is read in the hosted
control plane namespace only.
"""

from __future__ import annotations

from pathlib import Path

from mom.api.input_resources import InputResources
from mom.api.output_resources import OutputResources
from mom.manager.gathering import read_scopes
from mom.manager.pins import Pin
from mom.manager.specs import InstanceSpec, TopologyKind
from mom.mustgather.layout import TreeFile

OPERAND = "openshift-authentication"
HCP = "clusters-example"


def _configmap(namespace: str, name: str) -> dict[str, str]:
    return {"group": "", "version": "v1", "resource": "configmaps", "namespace": namespace, "name": name}


PIN = Pin(
    "authentication",
    InputResources.from_wire(
        {
            "applyConfigurationResources": {
                "exactResources": [_configmap(OPERAND, "read"), _configmap("openshift-config", "shared")]
            }
        },
        "inputs",
    ),
    OutputResources.from_wire(
        {
            "configurationResources": {"exactResources": [_configmap(OPERAND, "for-the-guest")]},
            "managementResources": {"exactResources": [_configmap(OPERAND, "for-the-management")]},
        },
        "outputs",
    ),
    "digest",
)
HOSTED = InstanceSpec(
    "hosted",
    TopologyKind.HYPERSHIFT,
    management="management",
    guest="guest",
    hosted_control_plane_namespace=HCP,
    operand_namespaces=(OPERAND,),
)
STANDALONE = InstanceSpec("standalone", TopologyKind.STANDALONE, cluster="standalone")


def _object(namespace: str, name: str) -> TreeFile:
    return TreeFile(Path("/tree"), "x", "object", namespace, "", "configmaps", name)


def test_a_guest_is_not_read_in_its_operand_namespaces_but_where_outputs_write_to_it() -> None:
    scopes = read_scopes([HOSTED, STANDALONE], [PIN])
    standalone, guest, management = scopes["standalone"], scopes["guest"], scopes["management"]
    for name in ("read", "for-the-guest", "for-the-management"):
        assert standalone.wants(_object(OPERAND, name)), name
    assert standalone.wants(_object("openshift-config", "shared"))

    assert guest.wants(_object("openshift-config", "shared")), "outside the operand namespaces: as declared"
    assert guest.wants(_object(OPERAND, "for-the-guest")), "a configuration output stays on the guest"
    assert not guest.wants(_object(OPERAND, "read")), "read on the management cluster"
    assert not guest.wants(_object(OPERAND, "for-the-management")), "written to the management cluster"

    assert management.wants(_object(HCP, "read-mapped")), "every object of the resource there"
    assert not management.wants(_object(OPERAND, "read"))
    assert not management.wants(_object("openshift-config", "shared"))
