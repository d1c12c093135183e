"""Checking mutations against declared outputs before anything may be written or applied.

Owns: routing each recorded mutation to the cluster types whose declared outputs allow it,
and refusing the rest with a reason (undeclared object, a body that disagrees with its path).
Must not import: ``mom.operator``, ``mom.inputs`` or anything above.
Entry point: :func:`mom.validation.outputs.route_mutations` (which checks each mutation with
:func:`mom.validation.mutations.mutation_problems`: names, JSON-representable bodies, patch identity).
"""
