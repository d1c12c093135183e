"""The manager: one process in place of a fleet of standing operator daemons.

Owns: the configuration (operators, physical clusters, instances and their topology), topology
routing (cluster types to clusters; :mod:`~mom.manager.mapping`: operand namespaces into the
hosted control plane namespace and back), pinned operator outputs, triggering (input digests,
resync, debounce, backoff), running operators in-process or as subprocesses, validating and
applying their mutations, recording every run in the journal with what changed since the pair's
previous run, and noticing operators that never converge (:mod:`.convergence`); with the same
runners, checking that an operator declares every input it needs (:mod:`.inputcheck`:
:mod:`.inputcheck.traced` for Python operators, :mod:`.inputcheck.pruned` for executables,
reported by :mod:`.inputcheck.report`, "not found" errors read by :mod:`.inputcheck.not_found`);
and more than one process (:mod:`.scaleout`: leader election with fenced writes, shards of hosted
clusters, one-instance mode, the Kubernetes objects of ``mom deploy``).
Must not import: ``mom.testing``, ``mom.cli``.
Entry points: :func:`mom.manager.config.load_config`, :class:`mom.manager.loop.Manager`,
:func:`mom.manager.inputcheck.check_input_resources`.
"""
