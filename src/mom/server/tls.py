"""A self-signed CA and serving certificate for ``--tls``, and kubeconfig files for clients.

Owns: generating a CA and a server certificate (``cryptography``) valid for the listening
address and ``localhost``, writing them as PEM files, and the kubeconfig document that points
kubectl and client libraries at the server (with the CA's data when TLS is on).
``now`` is an argument: the certificates are valid from a minute before it for a year.
"""

from __future__ import annotations

import base64
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from mom.serialization import dump_go_yaml

CONTEXT = "mom"


@dataclass(frozen=True)
class ServingCertificate:
    ca_pem: bytes
    certfile: Path
    keyfile: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def generate_certificate(directory: Path, address: str, now: datetime) -> ServingCertificate:
    """A new CA and a certificate for ``address`` and ``localhost``, written into ``directory``."""
    ca_key = ec.generate_private_key(ec.SECP256R1())
    not_before, not_after = now - timedelta(minutes=1), now + timedelta(days=365)
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("mom-serve-ca"))
        .issuer_name(_name("mom-serve-ca"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, True, True, False, False), critical=True
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = [x509.DNSName("localhost")]
    try:
        names.append(x509.IPAddress(ipaddress.ip_address(address)))
    except ValueError:
        names.append(x509.DNSName(address))
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("mom-serve"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    certfile, keyfile = directory / "serving.crt", directory / "serving.key"
    certfile.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    keyfile.touch(mode=0o600)
    keyfile.write_bytes(_key_pem(key))
    return ServingCertificate(ca.public_bytes(serialization.Encoding.PEM), certfile, keyfile)


def kubeconfig(url: str, ca_pem: bytes | None = None, namespace: str = "default") -> bytes:
    """A kubeconfig whose current context talks to ``url`` (trusting ``ca_pem`` when given)."""
    cluster: dict[str, Any] = {"server": url}
    if ca_pem is not None:
        cluster["certificate-authority-data"] = base64.b64encode(ca_pem).decode("ascii")
    document = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": CONTEXT, "cluster": cluster}],
        "users": [{"name": CONTEXT, "user": {"token": "unused"}}],  # kubectl asks for a user without one
        "contexts": [
            {"name": CONTEXT, "context": {"cluster": CONTEXT, "user": CONTEXT, "namespace": namespace}}
        ],
        "current-context": CONTEXT,
        "preferences": {},
    }
    return dump_go_yaml(document).encode("utf-8")
