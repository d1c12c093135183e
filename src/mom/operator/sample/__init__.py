"""A Python port of the Go proof of concept's sample operator (FORMATS.md §3.8).

It exists to prove the operator contract: run on the Go project's own test data it produces
the output the Go operator produces. Modules and what each owns:

- ``operator`` — the operator as a value, its inputs the Go declaration entry for entry
  (:data:`mom.operator.sample.operator.SAMPLE_OPERATOR`).
- ``controllers`` — its five controllers, whose bodies carry the zero values a Go typed client
  sends, so the recorded mutations are byte-identical to the Go operator's.
- ``command`` — the generated ``sample-operator`` command line
  (:func:`mom.operator.sample.command.main`).

Like any operator it uses only the SDK (:mod:`mom.operator`) and ``mom.api``.
Entry points: :data:`mom.operator.sample.operator.SAMPLE_OPERATOR` and the ``sample-operator``
command.
"""
