"""Documents that describe an API or a data shape: their numbers are examples, not ports.

An OpenAPI/Swagger description (``openapi: 3.0.3`` or ``swagger: "2.0"`` at the
top) and a JSON Schema (``$schema`` naming json-schema.org) are full of
``port: 8080`` examples, defaults and bounds that no process listens on. They
are recognised by what the specifications require at their top level, so an
app config with a ``swagger:`` section of its own is still read.
"""

from __future__ import annotations

import re

_VERSION = re.compile(r"[0-9]+(?:\.[0-9]+){0,2}")


def is_documentation(top: dict[str, str | None]) -> bool:
    """``top``: the document's top-level keys, each with its scalar text (None otherwise)."""
    for key in ("openapi", "swagger"):
        value = top.get(key)
        if value is not None and _VERSION.fullmatch(value.strip()) and "info" in top:
            return True
    schema = top.get("$schema")
    return schema is not None and "json-schema.org" in schema
