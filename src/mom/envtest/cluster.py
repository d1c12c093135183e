"""A throwaway control plane: etcd plus kube-apiserver on loopback, torn down after use.

:func:`start` generates a CA, a serving certificate and a service-account key with the ``openssl``
command, writes a static token file holding one admin token, starts etcd and kube-apiserver on
free loopback ports with every file under one temporary directory, waits for ``/readyz`` and
writes a kubeconfig. :meth:`Cluster.stop` ends both processes (and they end with the process that
started them). The server keeps an audit log of every write (:attr:`Cluster.audit_log`, one JSON
event a line, with the writer's user agent; writes of Leases with their request body), so a test
can tell who wrote what from the server's side. Only the standard library is used, so the control plane does not depend on the
client code it tests.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import secrets
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mom.envtest.binaries import Binaries

READY_TIMEOUT = 120.0
LOG_TAIL = 30
PR_SET_PDEATHSIG = 1


class ClusterError(Exception):
    """The control plane did not come up; the message carries the failing process's last log lines."""


@dataclass
class Cluster:
    url: str
    token: str
    ca: Path
    kubeconfig: Path
    directory: Path
    etcd_url: str
    _processes: list[tuple[str, subprocess.Popen[bytes]]] = field(default_factory=list, repr=False)

    def request(
        self, method: str, path: str, body: Any = None, content_type: str = "application/json"
    ) -> Any:
        """Send one authenticated request; the decoded JSON answer (``urllib.error.HTTPError`` on 4xx/5xx)."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", content_type)
        payload = self._send(request)
        return json.loads(payload) if payload else None

    def read(self, path: str) -> bytes:
        """The raw body of an authenticated GET (for plain-text endpoints such as ``/readyz``)."""
        return self._send(urllib.request.Request(self.url + path))

    def _send(self, request: urllib.request.Request) -> bytes:
        request.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(request, context=self.ssl_context(), timeout=30) as response:
            return bytes(response.read())

    def ssl_context(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.ca))

    @property
    def audit_log(self) -> Path:
        return self.directory / "audit.log"

    def audit_events(self) -> list[dict[str, Any]]:
        """Every write the server has completed so far, oldest first (reads are not audited)."""
        if not self.audit_log.exists():
            return []
        lines = self.audit_log.read_text().splitlines()
        return [json.loads(line) for line in lines if line.strip().endswith("}")]

    def stop(self) -> None:
        """Stop kube-apiserver, then etcd; each gets a few seconds before it is killed."""
        for _name, process in reversed(self._processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self._processes.clear()


@contextlib.contextmanager
def running(binaries: Binaries, directory: Path) -> Iterator[Cluster]:
    cluster = start(binaries, directory)
    try:
        yield cluster
    finally:
        cluster.stop()


def start(binaries: Binaries, directory: Path) -> Cluster:
    """Start etcd and kube-apiserver with their state under ``directory``; ready on return."""
    pki = directory / "pki"
    pki.mkdir(parents=True)
    _write_pki(pki)
    token = secrets.token_hex(16)
    (pki / "tokens.csv").write_text(f'{token},admin,admin-uid,"system:masters"\n')
    (pki / "audit-policy.yaml").write_text(AUDIT_POLICY)
    etcd_port, peer_port, api_port = _free_ports(3)
    etcd_url = f"http://127.0.0.1:{etcd_port}"
    cluster = Cluster(
        url=f"https://127.0.0.1:{api_port}",
        token=token,
        ca=pki / "ca.crt",
        kubeconfig=directory / "kubeconfig",
        directory=directory,
        etcd_url=etcd_url,
    )
    try:
        etcd = _spawn(cluster, "etcd", _etcd_command(binaries.etcd, directory, etcd_url, peer_port))
        _wait(lambda: _http_ok(f"{etcd_url}/health", None), "etcd", etcd, directory)
        command = _apiserver_command(binaries.kube_apiserver, directory, pki, etcd_url, api_port)
        apiserver = _spawn(cluster, "kube-apiserver", command)
        _wait(lambda: _http_ok(f"{cluster.url}/readyz", cluster), "kube-apiserver", apiserver, directory)
    except BaseException:
        cluster.stop()
        raise
    _write_kubeconfig(cluster)
    return cluster


def _etcd_command(etcd: Path, directory: Path, client_url: str, peer_port: int) -> list[str]:
    peer_url = f"http://127.0.0.1:{peer_port}"
    return [
        str(etcd),
        "--name=mom-test",
        f"--data-dir={directory / 'etcd-data'}",
        f"--listen-client-urls={client_url}",
        f"--advertise-client-urls={client_url}",
        f"--listen-peer-urls={peer_url}",
        f"--initial-advertise-peer-urls={peer_url}",
        f"--initial-cluster=mom-test={peer_url}",
        "--unsafe-no-fsync=true",
        "--log-level=warn",
    ]


def _apiserver_command(binary: Path, directory: Path, pki: Path, etcd_url: str, port: int) -> list[str]:
    return [
        str(binary),
        f"--etcd-servers={etcd_url}",
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        f"--secure-port={port}",
        f"--cert-dir={directory / 'apiserver-certs'}",
        f"--tls-cert-file={pki / 'serving.crt'}",
        f"--tls-private-key-file={pki / 'serving.key'}",
        f"--client-ca-file={pki / 'ca.crt'}",
        f"--token-auth-file={pki / 'tokens.csv'}",
        "--authorization-mode=RBAC",
        "--service-account-issuer=https://kubernetes.default.svc",
        f"--service-account-key-file={pki / 'sa.key'}",
        f"--service-account-signing-key-file={pki / 'sa.key'}",
        "--service-cluster-ip-range=10.0.0.0/24",
        "--endpoint-reconciler-type=none",
        "--allow-privileged=false",
        "--v=1",
        f"--audit-policy-file={pki / 'audit-policy.yaml'}",
        f"--audit-log-path={directory / 'audit.log'}",
        "--audit-log-format=json",
        "--audit-log-mode=blocking",
    ]


AUDIT_POLICY = """apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: [RequestReceived, ResponseStarted]
rules:
- level: None
  verbs: [get, list, watch]
- level: Request
  resources: [{group: coordination.k8s.io, resources: [leases]}]
- level: Metadata
"""


def _write_pki(pki: Path) -> None:
    """A CA, a serving certificate for 127.0.0.1/localhost signed by it, and a service-account key."""
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"]
    ca_extensions = ["basicConstraints=critical,CA:TRUE", "keyUsage=critical,keyCertSign,cRLSign"]
    serving_extensions = [
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "basicConstraints=critical,CA:FALSE",
        "extendedKeyUsage=serverAuth",
    ]
    ca = ["-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=mom-test-ca"]
    _openssl(pki, "req", "-x509", *ec, *ca, *_addext(ca_extensions))
    serving = ["-keyout", "serving.key", "-out", "serving.crt", "-subj", "/CN=kube-apiserver"]
    signed_by_ca = ["-CA", "ca.crt", "-CAkey", "ca.key"]
    _openssl(pki, "req", "-x509", *ec, *signed_by_ca, *serving, *_addext(serving_extensions))
    _openssl(pki, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "sa.key")


def _addext(extensions: list[str]) -> list[str]:
    return [arg for extension in extensions for arg in ("-addext", extension)]


def _openssl(cwd: Path, *args: str) -> None:
    result = subprocess.run(["openssl", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise ClusterError(f"openssl {args[0]} failed: {result.stderr.strip()}")


def _free_ports(count: int) -> list[int]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def _spawn(cluster: Cluster, name: str, command: list[str]) -> subprocess.Popen[bytes]:
    log = (cluster.directory / f"{name}.log").open("wb")
    process = subprocess.Popen(
        command,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        preexec_fn=_die_with_parent,
    )
    log.close()
    cluster._processes.append((name, process))
    return process


def _die_with_parent() -> None:
    """In the child: ask Linux to send SIGTERM when the test process dies, even by SIGKILL."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _http_ok(url: str, cluster: Cluster | None) -> bool:
    request = urllib.request.Request(url)
    context = None
    if cluster is not None:
        request.add_header("Authorization", f"Bearer {cluster.token}")
        context = cluster.ssl_context()
    try:
        with urllib.request.urlopen(request, context=context, timeout=5) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _wait(ready: Any, name: str, process: subprocess.Popen[bytes], directory: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    while not ready():
        if process.poll() is not None:
            raise ClusterError(
                f"{name} exited with {process.returncode}:\n{_tail(directory / f'{name}.log')}"
            )
        if time.monotonic() > deadline:
            raise ClusterError(
                f"{name} not ready after {READY_TIMEOUT:.0f}s:\n{_tail(directory / f'{name}.log')}"
            )
        time.sleep(0.2)


def _tail(log: Path) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-LOG_TAIL:])


def _write_kubeconfig(cluster: Cluster) -> None:
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [
            {"name": "mom-test", "cluster": {"server": cluster.url, "certificate-authority": str(cluster.ca)}}
        ],
        "users": [{"name": "admin", "user": {"token": cluster.token}}],
        "contexts": [{"name": "mom-test", "context": {"cluster": "mom-test", "user": "admin"}}],
        "current-context": "mom-test",
    }
    cluster.kubeconfig.write_text(json.dumps(config, indent=2) + "\n")
