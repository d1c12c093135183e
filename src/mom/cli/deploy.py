"""``mom deploy``: the Kubernetes objects that run ``mom run`` in one of the strategy's shapes.

``mom deploy --config FILE --shape IndividualMOM|UnifiedStandaloneMOM|HyperMOM --image IMAGE
[--namespace NS] [--replicas N] [--schedule CRON] [-o yaml|json]`` prints namespaces, a
ServiceAccount, RBAC, the configuration as a ConfigMap and a Deployment (with ``--schedule``, a
CronJob running ``mom run --once``) per manager, for ``kubectl apply -f -``
(:mod:`mom.manager.scaleout.deployment`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput
from mom.apply.rbac import rbac_list, render_rbac_yaml
from mom.manager.assembly import build_runners, pin_operators
from mom.manager.config import load_config
from mom.manager.scaleout.deployment import DeployOptions, Shape, deployment_manifests
from mom.serialization import dump_json, load_document


def register(commands: Any) -> None:
    """Add ``mom deploy``."""
    parser = commands.add_parser(
        "deploy",
        help="print the Kubernetes objects that run mom in a cluster (Deployment or CronJob, RBAC, config)",
        description="Print the manifests of one of the three shapes: IndividualMOM (a manager per "
        "operator), UnifiedStandaloneMOM (one manager for a standalone cluster), HyperMOM (a manager "
        "per hosted cluster).",
    )
    parser.add_argument("--config", required=True, type=Path, help="manager configuration file")
    parser.add_argument("--shape", required=True, choices=[s.value for s in Shape], help="deployment shape")
    parser.add_argument("--image", required=True, help="container image holding mom and the operators")
    parser.add_argument("--namespace", default="mom", help="namespace of the managers (default mom)")
    parser.add_argument("--replicas", type=int, default=2, help="replicas per manager (default 2)")
    parser.add_argument("--schedule", default="", help="a cron schedule: a CronJob running mom run --once")
    parser.add_argument("-o", "--output", choices=("yaml", "json"), default="yaml")
    parser.set_defaults(handler=run_deploy)


def run_deploy(args: argparse.Namespace) -> int:
    if args.replicas < 1:
        raise InvalidInput("--replicas", [f"Invalid value: {args.replicas}: must be at least 1"])
    config = load_config(args.config)
    document = load_document(args.config.read_bytes(), str(args.config))
    runners = build_runners(config)
    pins, notices = pin_operators(config, runners, record=False)
    for notice in notices:
        print(f"mom: warning: {notice}", file=sys.stderr)
    options = DeployOptions(Shape(args.shape), args.image, args.namespace, args.replicas, args.schedule)
    objects = deployment_manifests(config, document, pins, options)
    if args.output == "json":
        sys.stdout.write(dump_json(rbac_list(objects), indent=True).decode() + "\n")
    else:
        sys.stdout.write(render_rbac_yaml(objects))
    return 0
