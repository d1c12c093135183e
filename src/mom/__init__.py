"""mom, the Multi-Operator Manager.

An operator is a function: declared input resources in, recorded mutations out. The
manager gathers inputs, runs operators when their inputs change, refuses undeclared
mutations, records every run and applies the rest to the right cluster for the topology.

Layers (lowest first): ``api`` → ``serialization`` → ``manifest`` → ``client`` →
``validation`` → ``operator`` / ``inputs`` → ``testing`` / ``envtest`` → ``cli``. See
docs/architecture.md.
"""

__version__ = "0.1.0"
