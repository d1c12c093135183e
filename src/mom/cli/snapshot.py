"""`mom get` and `mom api-resources`: kubectl-like reads over a must-gather directory.

``mom get [--must-gather-dir DIR|ARCHIVE] RESOURCE [NAME] [-n NS | -A] [-l SELECTOR]
[--field-selector SELECTOR] [-o wide|name|yaml|json]`` prints one object or a list — as a table,
the columns kubectl shows (:mod:`mom.server.tables`), ages as of when the must-gather was taken;
``mom api-resources --must-gather-dir DIR [-o table|yaml|json]`` prints the resources the tree serves.
Without ``--must-gather-dir``, the one of ``$MOM_MUST_GATHER`` or ``mom use``
(:mod:`mom.cli.source`). The parsed tree is cached in :func:`mom.mustgather.loader.default_cache_dir`
unless ``--no-cache``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from mom.api.errors import InvalidInput, NotFound
from mom.api.resources import name_of
from mom.cli.source import add_source_option, open_must_gather
from mom.mustgather.discovery import ResourceInfo
from mom.mustgather.fieldlabels import field_labels
from mom.mustgather.gathered import gathered_at
from mom.mustgather.selectors import FieldSelector, LabelSelector
from mom.mustgather.store import Snapshot
from mom.serialization import dump_go_yaml, dump_json
from mom.server.tables import columns_for, render_table

OUTPUT_FORMATS = ("table", "wide", "name", "yaml", "json")
LISTING_FORMATS = ("table", "yaml", "json")


def register(commands: Any) -> None:
    """Add ``mom get`` and ``mom api-resources``."""
    get = commands.add_parser("get", help="show objects of a must-gather directory, like kubectl get")
    _add_source_options(get)
    get.add_argument(
        "resource", metavar="RESOURCE", help="configmaps, cm, ConfigMap, featuregates.config.openshift.io"
    )
    get.add_argument("name", metavar="NAME", nargs="?", help="one object by name")
    scope = get.add_mutually_exclusive_group()
    scope.add_argument("-n", "--namespace", default="default", help="namespace (default: %(default)s)")
    scope.add_argument("-A", "--all-namespaces", action="store_true", help="list across all namespaces")
    get.add_argument("-l", "--selector", default="", help="label selector, e.g. app=web,tier in (a,b)")
    get.add_argument(
        "--field-selector",
        default="",
        help="metadata.name=X, or a field the resource supports (spec.nodeName=N for pods)",
    )
    get.add_argument("-o", "--output", choices=OUTPUT_FORMATS, default="table", help="output format")
    get.set_defaults(handler=run_get)

    resources = commands.add_parser("api-resources", help="list the resources a must-gather directory serves")
    _add_source_options(resources)
    resources.add_argument("-o", "--output", choices=LISTING_FORMATS, default="table", help="output format")
    resources.set_defaults(handler=run_api_resources)


def _add_source_options(parser: argparse.ArgumentParser) -> None:
    add_source_option(parser)
    parser.add_argument("--no-cache", action="store_true", help="always decode the tree, never use the cache")


@dataclass(frozen=True)
class GetOptions:
    must_gather_dir: Path | None
    resource: str
    name: str | None
    namespace: str
    all_namespaces: bool
    label_selector: LabelSelector
    field_selector: str
    output: str
    use_cache: bool

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> GetOptions:
        return cls(
            must_gather_dir=args.must_gather_dir,
            resource=args.resource,
            name=args.name,
            namespace=args.namespace,
            all_namespaces=args.all_namespaces,
            label_selector=LabelSelector.parse(args.selector),
            field_selector=args.field_selector,
            output=args.output,
            use_cache=not args.no_cache,
        )


def _load(given: Path | None, use_cache: bool) -> Snapshot:
    return open_must_gather(given, use_cache=use_cache)


def _resolve(snapshot: Snapshot, text: str) -> ResourceInfo:
    info = snapshot.discovery.resolve(text)
    if info is None:
        raise NotFound(f'the server doesn\'t have a resource type "{text}"')
    return info


def run_get(args: argparse.Namespace) -> int:
    options = GetOptions.from_args(args)
    snapshot = _load(options.must_gather_dir, options.use_cache)
    info = _resolve(snapshot, options.resource)
    namespace = options.namespace if info.namespaced and not options.all_namespaces else ""
    if options.name is not None:
        if options.all_namespaces and info.namespaced:
            raise InvalidInput("--all-namespaces", ["cannot be used when asking for one object by name"])
        objects = [(namespace, snapshot.get(info.gvr, namespace=namespace, name=options.name))]
    else:
        fields = FieldSelector.parse(
            options.field_selector, field_labels(info.gvr), (info.gvr.group, info.gvr.resource)
        )
        objects = snapshot.list_located(
            info.gvr, namespace=namespace, label_selector=options.label_selector, field_selector=fields
        )
    _print(snapshot, info, objects, options, single=options.name is not None)
    return 0


def _print(
    snapshot: Snapshot,
    info: ResourceInfo,
    located: list[tuple[str, dict[str, Any]]],
    options: GetOptions,
    single: bool,
) -> None:
    out = sys.stdout
    objects = [obj for _, obj in located]
    if options.output in ("yaml", "json"):
        _write_document(objects[0] if single else _as_list(objects), options.output)
        return
    qualified = info.kind.lower() + (f".{info.gvr.group}" if info.gvr.group else "")
    if options.output == "name":
        for obj in objects:
            out.write(f"{qualified}/{name_of(obj)}\n")
        return
    if not objects:
        where = f" in {options.namespace} namespace" if info.namespaced and not options.all_namespaces else ""
        print(f"No resources found{where}.", file=sys.stderr)
        return
    with_namespace = info.namespaced and options.all_namespaces
    columns = [c for c in columns_for(snapshot, info.gvr) if options.output == "wide" or not c.priority]
    table = render_table(columns, objects, gathered_at(snapshot) or datetime.now(UTC), "None", "")
    header = (["NAMESPACE"] if with_namespace else []) + [c.name.upper() for c in columns]
    rows = [
        ([namespace] if with_namespace else []) + ["" if cell is None else str(cell) for cell in row["cells"]]
        for (namespace, _), row in zip(located, table["rows"], strict=True)
    ]
    print_table(header, rows)


def _as_list(objects: list[dict[str, Any]]) -> dict[str, Any]:
    return {"apiVersion": "v1", "items": objects, "kind": "List", "metadata": {"resourceVersion": ""}}


def print_table(header: list[str], rows: list[list[str]]) -> None:
    """Left-aligned columns three spaces apart, as kubectl prints them."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        sys.stdout.write(
            "   ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() + "\n"
        )


def run_api_resources(args: argparse.Namespace) -> int:
    snapshot = _load(args.must_gather_dir, not args.no_cache)
    served = [info for info in snapshot.discovery.resources() if not info.is_subresource]
    if args.output != "table":  # the fields of a Kubernetes APIResource
        document = [
            {
                "name": info.gvr.resource,
                "shortNames": list(info.short_names),
                "group": info.gvr.group,
                "version": info.gvr.version,
                "namespaced": info.namespaced,
                "kind": info.kind,
            }
            for info in served
        ]
        _write_document(document, args.output)
        return 0
    header = ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    rows = [
        [
            info.gvr.resource,
            ",".join(info.short_names),
            info.gvr.api_version,
            str(info.namespaced).lower(),
            info.kind,
        ]
        for info in served
    ]
    print_table(header, rows)
    return 0


def _write_document(document: Any, output: str) -> None:
    if output == "yaml":
        sys.stdout.write(dump_go_yaml(document))
    else:
        sys.stdout.write(dump_json(document, indent=True).decode() + "\n")
