"""The only place that imports codecs (PyYAML, orjson).

Modules and what each owns:

- ``goyaml`` — YAML written byte for byte as Go's ``sigs.k8s.io/yaml`` writes it
  (:func:`mom.serialization.goyaml.dump_go_yaml`); ``gowriter`` — the same text without
  PyYAML for the values it is certain of (:func:`mom.serialization.gowriter.go_yaml_text`),
  tried first by ``goyaml``.
- ``codec`` — decoding untrusted YAML or JSON with a size cap and an alias-bomb guard
  (:func:`mom.serialization.codec.load_document`), and fast JSON for mom's own caches
  (:func:`mom.serialization.codec.dump_json`, :func:`mom.serialization.codec.load_json`);
  ``plainjson`` — small plain documents through the standard library, with the same bytes and
  values as orjson, until orjson is loaded; ``plainyaml`` — block YAML as Kubernetes tools write
  it, with the YAML loader's values, without PyYAML (faster than libyaml through PyYAML);
  the loader reads what it leaves.
- ``jsonshape`` — the JSON decoder behind ``codec`` that returns JSON-shaped values only
  (string-keyed mappings, lists, strings, finite numbers, booleans, null); ``yamlshape`` — the
  YAML loader that returns the same. PyYAML is loaded by the first YAML read or written that
  ``plainyaml`` or ``gowriter`` leave to it: a command that handles only JSON or the YAML
  Kubernetes tools write does without it.
- ``tags`` — the tag of a YAML node written without one, decided for the loader and the Go
  YAML writer as PyYAML's resolver decides it, faster.

Must not import: any mom package but ``mom.api`` (the one layer below it).
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
