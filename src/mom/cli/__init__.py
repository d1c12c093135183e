"""The ``mom`` command: argv, environment, terminal, wall clock and exit codes — nothing else.

Each command parses its options into a frozen option object, calls one library function, and
turns a :class:`mom.api.errors.MomError` into one line on stderr and exit code 1.
Modules and what each owns:

- ``main`` — the one entry point and the parser a sub-command per capability registers on
  (:func:`mom.cli.main.main`); ``helptext`` — each command's description and examples;
  ``completion`` — ``mom completion``, shell completion generated from that parser.
- ``run`` — ``mom run``, the manager loop with progress and a summary.
- ``inputs`` — ``mom create-input-resources``, ``mom input-digest``; ``inputcheck`` —
  ``mom check-input-resources`` (registered apart, so gathering never imports the manager).
- ``testing`` — ``mom test apply-configuration`` with the Go harness's flag spellings.
- ``journal`` — ``mom journal``: list, show, replay and export stored runs.
- ``mutations`` — ``mom mutations``: show and compare recorded mutations.
- ``apply`` — ``mom apply``: a mutation directory applied to a configured live cluster.
- ``serve`` — ``mom serve``; ``snapshot`` — ``mom get`` and ``mom api-resources``;
  ``source`` — where a command's must-gather comes from (``--must-gather-dir``,
  ``$MOM_MUST_GATHER``, ``mom use``) and loading it with progress; ``use`` — ``mom use``.
- ``diagnostics`` — ``mom etcd``, ``mom alerts``, ``mom certificates``,
  ``mom clusteroperators``.
- ``rbac`` — ``mom rbac``; ``deploy`` — ``mom deploy``; ``launcher`` — ``mom launcher``;
  ``staticpods`` — ``mom static-pods``; ``envtest`` — ``mom envtest``.

May import every other layer (it is the top one); no mom package imports it.
Entry point: :func:`mom.cli.main.main` (the ``mom`` script).
"""
