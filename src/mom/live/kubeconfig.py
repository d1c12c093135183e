"""The one kubeconfig loader: a file and a context in, an authenticated HTTP client out.

Owns: :func:`load_kubeconfig` (read the file, choose the context, check its cluster and user)
and :func:`connect` (an httpx2 client with that context's server, TLS and credentials). The
file is decoded by :mod:`mom.serialization`; lightkube's configuration models do the TLS and
credential plumbing (tokens, token files, client certificates, basic auth, exec plugins).

Every problem is :class:`~mom.api.errors.InvalidInput` naming the file, one line each: the
file is missing or unreadable, is not a kubeconfig, names no current context, lacks the
context, cluster or user asked for, or asks for an authentication mom cannot perform
(``auth-provider``, an exec plugin API version lightkube does not speak).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
from lightkube.config import client_adapter
from lightkube.config.kubeconfig import KubeConfig
from lightkube.core.exceptions import ConfigError

from mom.api.errors import InvalidInput
from mom.serialization import load_document

EXEC_API_VERSIONS = ("client.authentication.k8s.io/v1alpha1", "client.authentication.k8s.io/v1beta1")
"""The exec credential plugin API versions mom can call."""


@dataclass(frozen=True, slots=True)
class Kubeconfig:
    """One context of a kubeconfig file, checked: what :func:`connect` needs to reach its server."""

    path: Path
    context: str
    server: str
    config: Any
    """lightkube's ``SingleConfig`` for the context (cluster, user, file for relative paths)."""


def load_kubeconfig(path: Path, context: str | None = None) -> Kubeconfig:
    """The ``context`` (default: the file's current context) of the kubeconfig at ``path``."""
    source = str(path)
    try:
        data = path.expanduser().read_bytes()
    except FileNotFoundError as exc:
        raise InvalidInput(source, ["kubeconfig not found"]) from exc
    except OSError as exc:
        raise InvalidInput(source, [f"cannot read kubeconfig: {exc.strerror or exc}"]) from exc
    document = load_document(data, source)
    if not isinstance(document, dict):
        raise InvalidInput(source, ["not a kubeconfig: expected a mapping with clusters, contexts and users"])
    sections = {key: _named(document, key, source) for key in ("clusters", "contexts", "users")}
    name = context or str(document.get("current-context") or "")
    if not name:
        raise InvalidInput(source, ["no current-context set and no context named"])
    chosen = sections["contexts"].get(name)
    if chosen is None:
        raise InvalidInput(source, [f"no context {name!r}"])
    cluster_name = str(chosen.get("cluster") or "")
    cluster = sections["clusters"].get(cluster_name)
    if cluster is None or not cluster.get("server"):
        raise InvalidInput(source, [f"context {name!r}: no cluster {cluster_name!r} with a server"])
    user_name = str(chosen.get("user") or "")
    if user_name and user_name not in sections["users"]:
        raise InvalidInput(source, [f"context {name!r}: no user {user_name!r}"])
    if user_name:
        _check_auth(sections["users"][user_name], user_name, source)
    try:
        config = KubeConfig.from_dict(document, fname=path.expanduser().resolve()).get(context_name=name)
    except (ConfigError, KeyError, TypeError, ValueError) as exc:
        raise InvalidInput(source, [f"not a kubeconfig: {exc}"]) from exc
    return Kubeconfig(path, name, str(cluster["server"]), config)


def connect(kubeconfig: Kubeconfig, *, timeout: float) -> httpx2.Client:
    """An HTTP client for ``kubeconfig``'s server, authenticated as its user."""
    params = client_adapter.ConnectionParams(timeout=httpx2.Timeout(timeout), trust_env=False)
    try:
        client: httpx2.Client = client_adapter.Client(kubeconfig.config, params)
    except (ConfigError, OSError, ValueError) as exc:  # ssl.SSLError is an OSError
        raise InvalidInput(
            str(kubeconfig.path), [f"context {kubeconfig.context!r}: unusable credentials: {exc}"]
        ) from exc
    return client


def _named(document: dict[str, Any], key: str, source: str) -> dict[str, dict[str, Any]]:
    """The ``key`` section of a kubeconfig as name → its inner mapping (``cluster``, ``context``...)."""
    entries = document.get(key) or []
    inner = key[:-1]
    if not isinstance(entries, list) or not all(
        isinstance(entry, dict) and isinstance(entry.get(inner, {}), dict) for entry in entries
    ):
        raise InvalidInput(source, [f"not a kubeconfig: {key} must be a list of {{name, {inner}}}"])
    return {str(entry.get("name", "")): dict(entry.get(inner) or {}) for entry in entries}


def _check_auth(user: dict[str, Any], name: str, source: str) -> None:
    """Refuse credentials mom cannot present; nothing at all (anonymous) is allowed."""
    plugin = user.get("exec")
    if isinstance(plugin, dict) and plugin.get("apiVersion") not in EXEC_API_VERSIONS:
        raise InvalidInput(
            source,
            [
                f"user {name!r}: exec plugin apiVersion {plugin.get('apiVersion')!r} is not supported"
                f" (supported: {', '.join(EXEC_API_VERSIONS)})"
            ],
        )
    usable = ("token", "tokenFile", "client-certificate", "client-certificate-data", "exec", "username")
    if user.get("auth-provider") and not any(user.get(key) for key in usable):
        raise InvalidInput(
            source,
            [
                f"user {name!r}: auth-provider is not supported"
                " (use a token, a client certificate or an exec plugin)"
            ],
        )


__all__ = ["EXEC_API_VERSIONS", "Kubeconfig", "connect", "load_kubeconfig"]
