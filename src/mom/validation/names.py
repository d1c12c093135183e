"""Object names as the kube-apiserver accepts them, per resource.

Owns: the three name rules Kubernetes uses for stored objects and which resource uses which:

- a *DNS-1123 label* (at most 63 characters of ``a-z``, ``0-9`` and ``-``, starting and
  ending alphanumeric): namespaces and OpenShift projects;
- a *DNS-1035 label* (the same, but starting with a letter): services;
- a *path segment name* (anything but ``.``, ``..``, or a name holding ``/`` or ``%``):
  the RBAC kinds, certificate signing requests, and OpenShift's OAuth, user and image kinds,
  whose names hold ``:``, ``~`` or ``@`` (:data:`_PATH_SEGMENT_NAMED`);
- a *DNS-1123 subdomain* (at most 253 characters, dot-separated labels) for everything else,
  which is what the apiserver applies to every built-in kind not named above and to every
  custom resource.

A ``generateName`` prefix follows its resource's rule, except that it may end in ``-``; the
server keeps at most :data:`GENERATED_PREFIX_MAX` characters of it and appends five random
ones, so any valid prefix gives a valid name. A request's namespace is a DNS-1123 label.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from mom.api.resources import GroupVersionResource

LABEL_MAX = 63
SUBDOMAIN_MAX = 253
GENERATED_SUFFIX = 5
"""Characters the server appends to a ``generateName`` prefix."""
GENERATED_PREFIX_MAX = LABEL_MAX - GENERATED_SUFFIX
"""How much of a ``generateName`` prefix the server keeps before appending."""

_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z")
_DNS1035 = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?\Z")
_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z")

NameRule = Callable[[str], str]
"""Returns why a name breaks the rule, or ``""``."""


def dns1123_label(name: str) -> str:
    if len(name) > LABEL_MAX:
        return f"must be no more than {LABEL_MAX} characters"
    if not _LABEL.match(name):
        return (
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-',"
            " and must start and end with an alphanumeric character"
        )
    return ""


def dns1035_label(name: str) -> str:
    if len(name) > LABEL_MAX:
        return f"must be no more than {LABEL_MAX} characters"
    if not _DNS1035.match(name):
        return (
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-',"
            " start with a letter and end with an alphanumeric character"
        )
    return ""


def dns1123_subdomain(name: str) -> str:
    if len(name) > SUBDOMAIN_MAX:
        return f"must be no more than {SUBDOMAIN_MAX} characters"
    if not _SUBDOMAIN.match(name):
        return (
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters,"
            " '-' or '.', and must start and end with an alphanumeric character"
        )
    return ""


def path_segment(name: str) -> str:
    if name in (".", ".."):
        return f"may not be {name!r}"
    for forbidden in ("/", "%"):
        if forbidden in name:
            return f"may not contain {forbidden!r}"
    return ""


_PATH_SEGMENT_NAMED = {
    "rbac.authorization.k8s.io": ("roles", "rolebindings", "clusterroles", "clusterrolebindings"),
    "authorization.openshift.io": ("roles", "rolebindings", "clusterroles", "clusterrolebindings"),
    "certificates.k8s.io": ("certificatesigningrequests",),
    "oauth.openshift.io": (
        "oauthclients",
        "oauthaccesstokens",
        "oauthauthorizetokens",
        "oauthclientauthorizations",
        "useroauthaccesstokens",
    ),
    "user.openshift.io": ("users", "identities", "groups", "useridentitymappings"),
    "image.openshift.io": ("images", "imagestreamtags", "imagestreamimages", "imagetags"),
}
"""Resources whose names may hold ``:``, ``~``, ``@`` or capitals (``system:...`` roles,
``sha256~...`` tokens, ``provider:user`` identities, ``stream:tag`` tags)."""

_RULES: dict[tuple[str, str], NameRule] = {
    ("", "namespaces"): dns1123_label,
    ("project.openshift.io", "projects"): dns1123_label,
    ("", "services"): dns1035_label,
    **{(group, resource): path_segment for group, names in _PATH_SEGMENT_NAMED.items() for resource in names},
}


def name_rule(gvr: GroupVersionResource) -> NameRule:
    """The rule names of ``gvr`` follow (a DNS-1123 subdomain unless the table says otherwise)."""
    return _RULES.get((gvr.group, gvr.resource), dns1123_subdomain)


def name_problem(gvr: GroupVersionResource, name: str) -> str:
    """Why ``name`` cannot name an object of ``gvr``, or ``""``."""
    if not name:
        return "Required value"
    reason = name_rule(gvr)(name)
    return f"Invalid value: {name!r}: {reason}" if reason else ""


def generate_name_problem(gvr: GroupVersionResource, prefix: str) -> str:
    """Why ``prefix`` cannot be a ``generateName`` of ``gvr``, or ``""`` (a trailing ``-`` is
    allowed: the generated characters follow it)."""
    rule = name_rule(gvr)
    masked = prefix[:-1] + "a" if len(prefix) > 1 and prefix.endswith("-") else prefix
    reason = rule(masked)
    return f"Invalid value: {prefix!r}: {reason}" if reason else ""


def namespace_problem(namespace: str) -> str:
    """Why ``namespace`` cannot be a namespace name, or ``""`` (empty is cluster scope)."""
    if not namespace:
        return ""
    reason = dns1123_label(namespace)
    return f"Invalid value: {namespace!r}: {reason}" if reason else ""
