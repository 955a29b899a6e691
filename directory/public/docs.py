"""The API documentation page: docs/API.md rendered once with Markdown (the one source)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

import markdown
from markupsafe import Markup

from directory.settings import PROJECT_ROOT

API_DOCUMENT = PROJECT_ROOT / "docs" / "API.md"


@cache
def api_documentation() -> Markup:
    """docs/API.md as HTML; the file is ours, so its HTML is trusted."""
    text = API_DOCUMENT.read_text(encoding="utf-8")
    return Markup(markdown.markdown(text, extensions=["tables", "fenced_code"]))  # noqa: S704


# --- the OpenAPI document as a page ---------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """One parameter, or one property of a schema (``origin.lat`` when nested)."""

    name: str
    where: str  # "query", "path", or "" for a property
    type: str
    required: bool
    description: str
    ref: str = ""  # the schema it refers to, linked on the page


@dataclass(frozen=True)
class Response:
    status: str
    description: str
    ref: str


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    anchor: str
    summary: str
    parameters: list[Field]
    responses: list[Response]


@dataclass(frozen=True)
class Schema:
    name: str
    type: str
    description: str
    fields: list[Field]


@dataclass(frozen=True)
class Reference:
    title: str
    version: str
    description: str
    base: str
    operations: list[Operation]
    schemas: list[Schema]


def api_reference(document: dict) -> Reference:
    """The OpenAPI document read for people: each operation with its parameters and
    responses, each schema with its properties. Rendered by our own template on the server
    (no viewer script, nothing fetched from anyone), so it cannot disagree with the document
    that /api/v1/openapi.json serves."""
    base = urlsplit(document.get("servers", [{}])[0].get("url", "")).path.rstrip("/")
    operations = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            operations.append(
                Operation(
                    method.upper(),
                    base + path,
                    "op-" + operation.get("operationId", path.strip("/")),
                    operation.get("summary", ""),
                    [_parameter(p) for p in operation.get("parameters", [])],
                    [_response(status, r) for status, r in operation.get("responses", {}).items()],
                )
            )
    schemas = [
        Schema(name, type_text(schema), schema.get("description", ""), _properties(schema))
        for name, schema in document.get("components", {}).get("schemas", {}).items()
    ]
    info = document.get("info", {})
    return Reference(info.get("title", ""), info.get("version", ""),
                     info.get("description", ""), base, operations, schemas)  # fmt: skip


def _parameter(parameter: dict) -> Field:
    schema = parameter.get("schema", {})
    return Field(parameter["name"], parameter.get("in", ""), type_text(schema),
                 bool(parameter.get("required")), parameter.get("description", ""),
                 _ref(schema))  # fmt: skip


def _response(status: str, response: dict) -> Response:
    schema = response.get("content", {}).get("application/json", {}).get("schema", {})
    return Response(status, response.get("description", ""), _ref(schema))


def _properties(schema: dict, prefix: str = "") -> list[Field]:
    fields = []
    required = set(schema.get("required", ()))
    for name, child in schema.get("properties", {}).items():
        fields.append(Field(prefix + name, "", type_text(child), name in required,
                            child.get("description", ""), _ref(child)))  # fmt: skip
        inner = child.get("items", child) if _is_array(child) else child
        if inner.get("properties"):
            fields += _properties(inner, f"{prefix}{name}{'[]' if _is_array(child) else ''}.")
    return fields


def _is_array(schema: dict) -> bool:
    kind = schema.get("type")
    return kind == "array" or (isinstance(kind, list) and "array" in kind)


def _ref(schema: dict) -> str:
    ref = schema.get("$ref") or schema.get("items", {}).get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref else ""


def type_text(schema: dict) -> str:
    """A schema in a few words: ``integer, 1 to 1000``, ``one of: best, distance``."""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "enum" in schema:
        return "one of: " + ", ".join("null" if v is None else str(v) for v in schema["enum"])
    for combined in ("oneOf", "anyOf"):
        if combined in schema:
            return " or ".join(type_text(option) for option in schema[combined])
    kinds = schema.get("type", "any")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    words = []
    for kind in kinds:
        if kind == "array":
            words.append("array of " + type_text(schema.get("items", {})))
        else:
            words.append(kind)
    text = " or ".join(words)
    limits = [
        f"{schema['minimum']} to {schema['maximum']}" if "minimum" in schema and "maximum"
        in schema else "",
        f"more than {schema['exclusiveMinimum']}" if "exclusiveMinimum" in schema else "",
        f"at most {schema['maxLength']} characters" if "maxLength" in schema else "",
        f"matching {schema['pattern']}" if "pattern" in schema else "",
    ]  # fmt: skip
    return ", ".join([text, *filter(None, limits)])
