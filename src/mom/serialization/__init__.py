"""The only place that imports codecs (PyYAML, orjson).

Owns: Go-compatible YAML dumping (byte-identical to ``sigs.k8s.io/yaml``), safe decoding of
untrusted YAML/JSON with limits into JSON-shaped values only (:mod:`~mom.serialization.jsonshape`),
and fast JSON (orjson; small plain documents through the standard library with the same bytes
and values, :mod:`~mom.serialization.plainjson`, until orjson is loaded).
Must not import: anything from mom but ``mom.api``.
Entry points: :func:`dump_go_yaml`, :func:`load_document`, :func:`dump_json`, :func:`load_json`.
"""

from mom.serialization.codec import (
    MAX_DOCUMENT_BYTES,
    dump_json,
    load_document,
    load_json,
    load_yaml_text,
    looks_like_json,
)
from mom.serialization.goyaml import dump_go_yaml

__all__ = [
    "MAX_DOCUMENT_BYTES",
    "dump_go_yaml",
    "dump_json",
    "load_document",
    "load_json",
    "load_yaml_text",
    "looks_like_json",
]
