"""The live tests' control plane: :mod:`mom.envtest.cluster`, re-exported."""

from __future__ import annotations

from mom.envtest.cluster import Cluster, ClusterError, running, start

__all__ = ["Cluster", "ClusterError", "running", "start"]
