"""Certificates in the must-gather's secrets that expire within a window (or already have).

Owns :func:`expiring_certificates`: every ``tls.crt`` (and ``ca.crt``) in the snapshot's secrets,
each PEM certificate of the bundle read with ``cryptography``; rows for those whose ``notAfter``
is before ``now + within``, soonest first. A value that is not PEM is skipped (must-gathers
may hold redacted data); one that claims to be PEM but does not parse is reported as unreadable.
"""

from __future__ import annotations

import base64
import binascii
import re
import warnings
from datetime import datetime, timedelta
from typing import Any

from cryptography import x509

from mom.api.resources import GroupVersionResource, name_of, namespace_of
from mom.diagnostics.files import mapping
from mom.mustgather.store import Snapshot

SECRETS = GroupVersionResource("", "v1", "secrets")
KEYS = ("tls.crt", "ca.crt")
_PEM_RE = re.compile(rb"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.DOTALL)
Row = dict[str, Any]


def _certificates(encoded: Any) -> list[x509.Certificate | None]:
    if not isinstance(encoded, str):
        return []
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        return []
    found: list[x509.Certificate | None] = []
    for block in _PEM_RE.findall(data):
        try:
            found.append(x509.load_pem_x509_certificate(block))
        except ValueError:
            found.append(None)
    return found


def _subject(certificate: x509.Certificate) -> str:
    with warnings.catch_warnings():  # a real cluster's names may break X.509 length limits
        warnings.simplefilter("ignore")
        names = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    value = names[0].value if names else certificate.subject.rfc4514_string()
    return value if isinstance(value, str) else value.decode("utf-8", "replace")


def expiring_certificates(snapshot: Snapshot, now: datetime, within: timedelta) -> list[Row]:
    """Certificates expiring before ``now + within``, soonest first."""
    deadline = now + within
    rows: list[Row] = []
    for secret in snapshot.list(SECRETS):
        data = mapping(secret.get("data"))
        for key in KEYS:
            for index, certificate in enumerate(_certificates(data.get(key))):
                row: Row = {
                    "namespace": namespace_of(secret),
                    "name": name_of(secret),
                    "key": key,
                    "index": index,
                }
                if certificate is None:
                    rows.append(
                        {
                            **row,
                            "subject": "",
                            "notAfter": "",
                            "expiresInSeconds": None,
                            "problem": "unreadable",
                        }
                    )
                    continue
                not_after = certificate.not_valid_after_utc
                if not_after > deadline:
                    continue
                rows.append(
                    {
                        **row,
                        "subject": _subject(certificate),
                        "issuer": certificate.issuer.rfc4514_string(),
                        "notAfter": not_after.isoformat().replace("+00:00", "Z"),
                        "expiresInSeconds": int((not_after - now).total_seconds()),
                    }
                )
    return sorted(rows, key=lambda r: (r["expiresInSeconds"] is None, r["expiresInSeconds"] or 0))
