"""Running more than one ``mom run``: leader election, shards of hosted clusters, one-instance
mode, and the Kubernetes objects that run them.

Modules and what each owns:

- ``lease`` — the ``lease`` section of the manager configuration and the Lease it names;
  ``election`` — leader election over it, and the fence that keeps a replica which lost its
  Lease from writing (:class:`~mom.manager.scaleout.election.LeaderElector`).
- ``ring`` — which shard owns which hosted cluster (consistent hashing with bounded loads);
  ``sharding`` — a shard Lease per replica and the assignment Lease; ``sharded`` — a replica's
  manager of the hosted clusters the ring gives it.
- ``hosted`` — one ``mom run`` for exactly one instance of a configuration.
- ``probes`` — ``/healthz``, ``/readyz`` and ``/metrics`` for a pod's probes and a scraper.
- ``deployment`` — ``mom deploy``: ``mom run`` as Kubernetes objects.

Imports the client and journal layers, never the CLI. Entry points:
:func:`~mom.manager.scaleout.election.await_leadership` and
:func:`~mom.manager.scaleout.election.start_term`.
"""
