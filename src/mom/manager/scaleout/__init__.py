"""Running more than one ``mom run``: leader election over a coordination.k8s.io Lease, and the
fence that keeps a replica which lost its Lease from writing.

Owns: :class:`~mom.manager.scaleout.lease.LeaseSpec` (the ``lease`` section of the manager
configuration) and :class:`~mom.manager.scaleout.election.LeaderElector`. Imports the client and
journal layers, never the CLI. Entry points: :func:`~mom.manager.scaleout.election.await_leadership`
and :func:`~mom.manager.scaleout.election.start_term`.
"""
