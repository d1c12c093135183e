"""envtest for mom users: a real kube-apiserver and etcd, built from Go modules and cached.

Owns: building (once per machine and version) and caching the two binaries from the Go modules
shipped in ``modules/`` (:mod:`.binaries`), starting and stopping a throwaway control plane on
loopback with its own PKI, admin token and kubeconfig (:mod:`.cluster`), installing CRDs into
it (:mod:`.crds`), and the pytest fixtures ``envtest_binaries`` and ``envtest`` (:mod:`.fixtures`,
the pytest11 entry point ``mom-envtest``). ``mom envtest`` starts one from the command line.
Must not import: any mom package above ``mom.serialization``; :mod:`.binaries` and
:mod:`.cluster` import only the standard library.
Entry points: :func:`mom.envtest.binaries.ensure`, :func:`mom.envtest.cluster.running`,
:func:`mom.envtest.crds.install_crds`.
"""
