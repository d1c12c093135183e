"""The manager: one process in place of a fleet of standing operator daemons.

Owns, one module per concern:

- the configuration: :mod:`.config` (the file and its top-level fields), :mod:`.specs` (the
  values: operators, physical clusters, instances), :mod:`.entries` (one operator, cluster or
  instance entry at a time), :mod:`.consistency` (entries checked against each other);
- topology: :mod:`.topology` (cluster types to clusters, claims on objects, collisions),
  :mod:`.mapping` (operand namespaces into the hosted control plane namespace and back),
  :mod:`.gathering` (reading inputs as an operator addresses them);
- operators and their outputs: :mod:`.operators` (the one runner seam, and Python operators
  in-process), :mod:`.subprocesses` (executables, each run a confined subprocess), :mod:`.pins` (outputs pinned at registration), :mod:`.planning` (an operator's
  mutations validated, routed, mapped or refused), :mod:`.assembly` (a manager built from a
  configuration);
- a tick: :mod:`.loop` (the :class:`~mom.manager.loop.Manager`, a tick as a short sequence),
  :mod:`.agenda` (which pairs run and why), :mod:`.schedule` (input digests, resync, debounce,
  backoff), :mod:`.execution` (runs through a bounded pool), :mod:`.commit` (journal, then
  apply, then journal the outcomes), :mod:`.history` (stored inputs shared per digest, changed
  inputs and their writers), :mod:`.changes` (what differs between runs), :mod:`.recovery`
  (rolling forward what a crash left), :mod:`.stored` (a journaled run's inputs unpacked),
  :mod:`.report` (what a tick did), :mod:`.metrics` (ticks as Prometheus metrics);
- the watchdog: :mod:`.convergence` (operators that fight or never converge);
- :mod:`.replay` (a journaled run run again and compared);
- with the same runners, checking that an operator declares every input it needs
  (:mod:`.inputcheck`: the entry point in :mod:`.inputcheck.check`, :mod:`.inputcheck.traced`
  for Python operators, :mod:`.inputcheck.pruned` for executables, reported by
  :mod:`.inputcheck.report`, "not found" errors read by :mod:`.inputcheck.not_found`);
- more than one process (:mod:`.scaleout`: leader election with fenced writes, shards of hosted
  clusters, one-instance mode, the Kubernetes objects of ``mom deploy``).

Must not import: ``mom.testing``, ``mom.cli``.
Entry points: :func:`mom.manager.config.load_config`, :class:`mom.manager.loop.Manager`,
:func:`mom.manager.assembly.open_manager`, :func:`mom.manager.inputcheck.check_input_resources`.
"""
