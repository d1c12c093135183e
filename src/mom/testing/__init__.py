"""Golden-directory testing of operators: ``mom test apply-configuration`` and a pytest plugin.

Owns: the ``test.yaml`` wire type and discovery of test directories (:mod:`.cases`), running
an operator binary for one case (:mod:`.runner`), judging and replacing expected outputs
(:mod:`.judge`, :mod:`.golden`; the suite in :mod:`.harness`), the topology check of a case's output (:mod:`.topology`),
an in-process run of a Python operator on given objects with golden comparison
(:mod:`.scenario`), failure reports (:mod:`.report`) with a one-line summary of an output mismatch
(:mod:`.mismatch`), junit XML (:mod:`.junit`), terminal progress (:mod:`.progress`) and the
pytest plugin (:mod:`.pytest_plugin`).
Must not import: ``mom.cli`` (above it) or its siblings ``mom.manager``, ``mom.server``,
``mom.staticpod`` and ``mom.envtest``; codecs only through ``mom.serialization``. The library never
writes to a terminal: progress goes to a :class:`~mom.testing.harness.SuiteReporter`.
Entry points: :func:`mom.testing.harness.run_suite`, :func:`mom.testing.harness.run_case`,
:func:`mom.testing.scenario.run_scenario`, :func:`mom.testing.junit.write_junit`,
:func:`mom.testing.topology.check_topology`, the pytest11 entry point ``mom = mom.testing.pytest_plugin``.
"""
