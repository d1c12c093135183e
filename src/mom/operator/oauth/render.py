"""Pure functions from configuration to the operand's desired objects."""

from __future__ import annotations

import hashlib
from typing import Any

from mom.serialization import dump_json

NAMESPACE = "openshift-authentication"
DEPLOYMENT = "oauth-openshift"
CONFIGMAP = "v4-0-config-system-cliconfig"
IMAGE = "quay.io/openshift/origin-oauth-server:4.18"
LOG_LEVELS = {"Normal": 2, "Debug": 4, "Trace": 6, "TraceAll": 8}
SUPPORTED_IDP_TYPES = frozenset({"HTPasswd", "LDAP", "OpenID", "GitHub", "GitLab", "Google", "Keystone"})


def oauth_config(oauth: dict[str, Any] | None, domain: str) -> dict[str, Any]:
    """The server's configuration document: issuer URL, identity providers, token lifetime."""
    spec = (oauth or {}).get("spec") or {}
    token = spec.get("tokenConfig") or {}
    providers = [
        {
            "name": idp.get("name", ""),
            "challenge": True,
            "login": True,
            "mappingMethod": idp.get("mappingMethod", "claim"),
            "provider": {"type": idp.get("type", "")},
        }
        for idp in spec.get("identityProviders") or []
    ]
    return {
        "apiVersion": "osin.config.openshift.io/v1",
        "kind": "OsinServerConfig",
        "oauthConfig": {
            "masterPublicURL": f"https://oauth-openshift.{domain}",
            "identityProviders": providers,
            "tokenConfig": {"accessTokenMaxAgeSeconds": int(token.get("accessTokenMaxAgeSeconds", 86400))},
        },
    }


def config_map(config: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": {"name": CONFIGMAP, "namespace": NAMESPACE},
        "data": {"v4-0-config-system-cliconfig": dump_json(config, indent=True, sort_keys=True).decode()},
    }


def deployment(config: dict[str, Any], log_level: str, replicas: int) -> dict[str, Any]:
    """The operand Deployment; a hash of the configuration rolls it when the configuration changes."""
    config_hash = hashlib.sha256(dump_json(config, sort_keys=True)).hexdigest()[:16]
    verbosity = LOG_LEVELS.get(log_level or "Normal", 2)
    labels = {"app": DEPLOYMENT}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": DEPLOYMENT, "namespace": NAMESPACE, "labels": labels},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {
                    "labels": labels,
                    "annotations": {"operator.openshift.io/config-hash": config_hash},
                },
                "spec": {
                    "containers": [
                        {
                            "name": "oauth-openshift",
                            "image": IMAGE,
                            "args": [
                                "osinserver",
                                f"--config=/var/config/system/configmaps/{CONFIGMAP}/{CONFIGMAP}",
                                f"--v={verbosity}",
                            ],
                            "volumeMounts": [
                                {"name": CONFIGMAP, "mountPath": f"/var/config/system/configmaps/{CONFIGMAP}"}
                            ],
                        }
                    ],
                    "volumes": [{"name": CONFIGMAP, "configMap": {"name": CONFIGMAP}}],
                },
            },
        },
    }


def config_problems(oauth: dict[str, Any] | None, domain: str) -> list[str]:
    """What makes the configuration unusable (reported as Degraded), empty when it is fine."""
    problems = []
    if not domain:
        problems.append("the cluster Ingress config has no spec.domain")
    spec = (oauth or {}).get("spec") or {}
    for index, idp in enumerate(spec.get("identityProviders") or []):
        if idp.get("type") not in SUPPORTED_IDP_TYPES:
            name, kind = idp.get("name", ""), idp.get("type")
            problems.append(f"identityProviders[{index}] ({name!r}) has unsupported type {kind!r}")
    return problems
