"""Per-hosted-cluster mode: one ``mom run`` for exactly one instance of a configuration.

The shape HyperShift uses inside each hosted cluster's control-plane operator: the same
configuration file as a manager of many, narrowed to one instance and the clusters it touches
(and the one holding the Lease), so the process watches and gathers nothing else.
"""

from __future__ import annotations

from dataclasses import replace

from mom.api.errors import NotFound
from mom.manager.config import ManagerConfig
from mom.manager.topology import Topology


def for_one_instance(config: ManagerConfig, name: str) -> ManagerConfig:
    """``config`` narrowed to instance ``name``; :class:`NotFound` naming the known ones."""
    instance = next((i for i in config.instances if i.name == name), None)
    if instance is None:
        known = ", ".join(f'"{i.name}"' for i in config.instances)
        raise NotFound(f'{config.source}: instance "{name}" is not configured (known: {known})')
    wanted = set(Topology(instance).clusters)
    if config.lease is not None:
        wanted.add(config.lease.cluster)
    used = set(instance.operators) if instance.operators else {o.name for o in config.operators}
    return replace(
        config,
        instances=(instance,),
        clusters=tuple(c for c in config.clusters if c.name in wanted),
        operators=tuple(o for o in config.operators if o.name in used),
    )
