"""Live clusters: reading, watching and writing a real kube-apiserver named by a kubeconfig.

Owns: the one kubeconfig loader (:mod:`mom.live.kubeconfig`), the HTTP transport to a server
(:mod:`mom.live.transport`), the live input source answering GET and LIST
(:mod:`mom.live.source`), the shared LIST+WATCH read cache (:mod:`mom.live.watches`) and the
live write target (:mod:`mom.live.target`, which applies through :mod:`mom.apply`'s rules).
Must not import: ``mom.manager``, ``mom.server``, ``mom.testing``, ``mom.staticpod``,
``mom.envtest`` or ``mom.cli``; codecs only through ``mom.serialization``. Only the manager,
the CLI and the tests import it.
Entry points: :class:`LiveTransport`, :class:`LiveSource`, :class:`LiveTarget`,
:class:`WatchCache`, :func:`load_kubeconfig`.
"""

from mom.live.kubeconfig import Kubeconfig, load_kubeconfig
from mom.live.source import LiveSource
from mom.live.target import LiveTarget, served_kinds
from mom.live.transport import LiveTransport
from mom.live.watches import WatchCache

__all__ = [
    "Kubeconfig",
    "LiveSource",
    "LiveTarget",
    "LiveTransport",
    "WatchCache",
    "load_kubeconfig",
    "served_kinds",
]
