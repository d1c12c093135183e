"""Per-hosted-cluster mode: one ``mom run`` for exactly one instance of a configuration.

The shape HyperShift uses inside each hosted cluster's control-plane operator: the same
configuration file as a manager of many, narrowed to one instance and the clusters it touches
(and the one holding the Lease), so the process watches and gathers nothing else.
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import replace

from mom.api.errors import NotFound
from mom.manager.specs import ManagerConfig
from mom.manager.topology import Topology


def for_one_instance(config: ManagerConfig, name: str) -> ManagerConfig:
    """``config`` narrowed to instance ``name``; :class:`NotFound` naming the known ones."""
    if not any(i.name == name for i in config.instances):
        known = ", ".join(f'"{i.name}"' for i in config.instances)
        raise NotFound(f'{config.source}: instance "{name}" is not configured (known: {known})')
    return for_instances(config, {name})


def for_instances(config: ManagerConfig, names: Set[str]) -> ManagerConfig:
    """``config`` narrowed to the instances ``names``, the clusters they touch (and the one
    holding the Lease) and the operators they use; operators stay when no instance is left, so
    their registrations stay checked."""
    instances = tuple(i for i in config.instances if i.name in names)
    wanted = {name for instance in instances for name in Topology(instance).clusters}
    if config.lease is not None:
        wanted.add(config.lease.cluster)
    used = {o.name for i in instances for o in config.operators_for(i)}
    return replace(
        config,
        instances=instances,
        clusters=tuple(c for c in config.clusters if c.name in wanted),
        operators=tuple(o for o in config.operators if o.name in used) or config.operators,
    )
