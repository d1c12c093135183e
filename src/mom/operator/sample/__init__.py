"""A Python port of the Go proof of concept's sample operator (FORMATS.md §3.8).

It exists to prove the operator contract: run on the Go project's own test data it produces
the output the Go operator produces. Entry points: :data:`mom.operator.sample.operator.SAMPLE_OPERATOR`
and the ``sample-operator`` command (:func:`mom.operator.sample.command.main`).
"""
