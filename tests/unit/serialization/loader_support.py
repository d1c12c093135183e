"""What the YAML loader makes of a text, with its types, for comparing a faster reader with it."""

from __future__ import annotations

import json
from typing import Any

from mom.api.errors import InvalidInput
from mom.serialization import load_yaml_text


def loader_value(text: str) -> Any:
    """The loader's value of ``text``, or :class:`InvalidInput` when it refuses it."""
    try:
        return load_yaml_text(text, "doc")
    except InvalidInput:
        return InvalidInput


def exact(value: Any) -> str:
    """``value`` with its types: True and "True", 1 and 1.0 and "1" differ."""
    return json.dumps(value, sort_keys=True) if value is not InvalidInput else "refused"
