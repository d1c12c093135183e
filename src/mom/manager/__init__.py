"""The manager: one process in place of a fleet of standing operator daemons.

Owns: the configuration (operators, physical clusters, instances and their topology), topology
routing (cluster types to clusters, namespace mapping out and its inverse in), pinned operator
outputs, triggering (input digests, resync, debounce, backoff), running operators in-process or
as subprocesses, validating and applying their mutations, recording every run in the journal
with what changed since the pair's previous run, and noticing operators that never converge.
Must not import: ``mom.testing``, ``mom.cli``.
Entry points: :func:`mom.manager.config.load_config`, :class:`mom.manager.loop.Manager`.
"""
