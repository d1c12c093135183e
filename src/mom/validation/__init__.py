"""Checking mutations against declared outputs before anything may be written or applied.

Owns routing each recorded mutation to the cluster types whose declared outputs allow it, and
refusing the rest with a reason. Modules and what each owns:

- ``outputs`` — :func:`mom.validation.outputs.route_mutations`: each request to every cluster
  type whose declared output list allows it (a body whose kind is not the resource its path
  names is refused even when the path is declared); the rest as
  :class:`mom.validation.outputs.Refusal` values.
- ``mutations`` — :func:`mom.validation.mutations.mutation_problems`: what one request would
  write (names, a body with a JSON form, patch identity), checked before any target sees it.
- ``objects`` — what an object must be before mom stores it: JSON a kube-apiserver accepts, a
  valid name, and for a change the identity it had (:func:`mom.validation.objects.object_problems`).
- ``names`` — the kube-apiserver's name rules, per resource.

Must not import: ``mom.operator``, ``mom.inputs``, ``mom.apply``, ``mom.journal``,
``mom.diagnostics`` or any layer above them; it uses ``mom.client``, ``mom.mutationdir``,
``mom.mustgather`` and ``mom.api``.
Entry point: :func:`mom.validation.outputs.route_mutations`.
"""
