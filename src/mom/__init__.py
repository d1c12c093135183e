"""mom, the Multi-Operator Manager.

An operator is a function: declared input resources in, recorded mutations out. The
manager gathers inputs, runs operators when their inputs change, refuses undeclared
mutations, records every run and applies the rest to the right cluster for the topology.

Layers, highest first, as the layers contract in ``pyproject.toml`` has them (a package imports
only packages on lower rows; packages on one row do not import each other):

1. ``cli`` — the ``mom`` command (:mod:`mom.cli`).
2. ``testing`` (golden-directory harness), ``manager`` (``mom run``), ``server`` (``mom serve``),
   ``staticpod`` (the static pod controller), ``envtest`` (a throwaway kube-apiserver and etcd).
3. ``live`` — kubeconfig, transport, source, watches and target of a live cluster.
4. ``operator`` (the authoring SDK), ``inputs`` (gathering declared inputs), ``apply`` (targets
   and Kubernetes write semantics), ``journal`` (the record of every run), ``diagnostics``
   (a must-gather's first answers).
5. ``validation`` — recorded mutations against declared outputs.
6. ``client`` — the client and the transports under it.
7. ``mutationdir`` — recorded requests, mutation directories, output directories.
8. ``mustgather`` — the must-gather format read as a read-only cluster.
9. ``serialization`` — the only importer of codecs.
10. ``api`` — pure wire types and the error tree.

docs/architecture.md draws the layers and follows one mutation through them.
"""

__version__ = "0.1.0"
