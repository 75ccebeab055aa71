"""The browsable API reference: a staff page rendered on the server from the OpenAPI schema
(no script, no CDN; strict CSP holds). The machine-readable schema is at ``/api/v1/schema/``."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from drf_spectacular.generators import SchemaGenerator

from lotse.access.decorators import authenticated
from lotse.access.http import LotseRequest

METHODS = ("get", "post", "put", "patch", "delete")


@functools.cache
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)  # type: ignore[no-any-return]


def _schema_name(ref: dict[str, Any] | None) -> str:
    if not ref:
        return ""
    if "$ref" in ref:
        return str(ref["$ref"]).rsplit("/", 1)[-1]
    if ref.get("type") == "array" and "items" in ref:
        return f"[{_schema_name(ref['items'])}]"
    return str(ref.get("type", ""))


def operations() -> list[dict[str, Any]]:
    """One entry per path and method: summary, parameters, request and answer schemas."""
    rows = []
    for path, item in schema()["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
            answers = []
            for code, answer in sorted(op.get("responses", {}).items()):
                content = answer.get("content", {}).get("application/json", {}).get("schema")
                answers.append(
                    {"code": code, "description": answer.get("description", ""), "schema": _schema_name(content)}
                )
            rows.append(
                {
                    "id": op.get("operationId", f"{method}-{path}"),
                    "method": method.upper(),
                    "path": path,
                    "tag": (op.get("tags") or [""])[0],
                    "description": (op.get("description") or "").strip(),
                    "parameters": [
                        {
                            "name": p["name"],
                            "where": p["in"],
                            "required": p.get("required", False),
                            "type": p.get("schema", {}).get("type", ""),
                            "enum": p.get("schema", {}).get("enum", []),
                            "description": p.get("description", ""),
                        }
                        for p in op.get("parameters", [])
                    ],
                    "request": _schema_name(body),
                    "answers": answers,
                }
            )
    return rows


def components() -> list[dict[str, Any]]:
    rows = []
    for name, comp in sorted(schema().get("components", {}).get("schemas", {}).items()):
        props = comp.get("properties", {})
        required = set(comp.get("required", []))
        rows.append(
            {
                "name": name,
                "fields": [
                    {
                        "name": field,
                        "type": spec.get("type") or _schema_name(spec) or ("enum" if "enum" in spec else ""),
                        "format": spec.get("format", ""),
                        "read_only": spec.get("readOnly", False),
                        "required": field in required,
                        "nullable": spec.get("nullable", False),
                    }
                    for field, spec in props.items()
                ],
                "enum": comp.get("enum", []),
            }
        )
    return rows


@authenticated()
@require_GET
def docs_page(request: LotseRequest) -> HttpResponse:
    context = {"info": schema()["info"], "operations": operations(), "components": components()}
    return render(request, "api/docs.html", context)
