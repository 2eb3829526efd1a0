"""The API reference page at /api/v1/docs, rendered on the server from the same OpenAPI
document clients download: no script, no outside host, readable without JavaScript."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, render_template

bp = Blueprint("api_reference", __name__)

METHODS = ("get", "post", "put", "patch", "delete")


def _resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow one ``$ref`` inside the document."""
    if isinstance(node, dict) and "$ref" in node:
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return target
    return node


def operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """Every operation, grouped in document order, with refs resolved one level."""
    found = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            responses = []
            for status, response in op.get("responses", {}).items():
                response = _resolve(spec, response)
                content = response.get("content", {}).get("application/json", {})
                schema = content.get("schema", {})
                responses.append(
                    {
                        "status": status,
                        "description": response.get("description", ""),
                        "schema": schema.get("$ref", "").rsplit("/", 1)[-1],
                        "example": json.dumps(content["example"], indent=2, ensure_ascii=False)
                        if "example" in content
                        else None,
                    }
                )
            responses.sort(key=lambda r: (r["status"] == "default", r["status"]))
            parameters = [
                _resolve(spec, p) for p in (*item.get("parameters", []), *op.get("parameters", []))
            ]
            body = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            found.append(
                {
                    "anchor": f"{method}-{path}".replace("/", "-")
                    .replace("{", "")
                    .replace("}", ""),
                    "method": method.upper(),
                    "path": path,
                    "tag": (op.get("tags") or [""])[0],
                    "summary": op.get("summary", ""),
                    "description": op.get("description", ""),
                    "security": [s for req in op.get("security", []) for s in req.values()],
                    "parameters": parameters,
                    "body_schema": body.get("schema", {}).get("$ref", "").rsplit("/", 1)[-1],
                    "body_example": json.dumps(body["example"], indent=2)
                    if "example" in body
                    else None,
                    "responses": responses,
                }
            )
    return found


@bp.get("/api/v1/docs")
def reference() -> str:
    from app.api import spec_dict

    spec = spec_dict()
    schemas = spec.get("components", {}).get("schemas", {})
    return render_template(
        "api/reference.html",
        spec=spec,
        operations=operations(spec),
        schemas={name: json.dumps(s, indent=2) for name, s in sorted(schemas.items())},
    )
