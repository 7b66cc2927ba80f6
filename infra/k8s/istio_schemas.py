"""Istio objects validated against Istio's own CRD schemas, offline.

``schemas/istio/crds.json`` holds the CustomResourceDefinitions of PeerAuthentication,
AuthorizationPolicy, DestinationRule and VirtualService (their served ``v1`` version),
vendored from the Apache-2.0 istio/api repository (``schemas/istio/SOURCE.md``). An object
is checked against its CRD's ``openAPIV3Schema`` as ``kubectl apply --validate=strict``
would: a field the schema does not define is refused (the API server would drop it
silently), unless the schema keeps unknown fields. The CEL rules
(``x-kubernetes-validations``) are not evaluated.

Used by ``validate_manifests.py`` (``make validate-manifests``) and by
``tests/contract/test_mesh_policy.py``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft7Validator

CRDS = Path(__file__).resolve().parent / "schemas" / "istio" / "crds.json"
PRESERVE = "x-kubernetes-preserve-unknown-fields"
NESTED = ("oneOf", "anyOf", "allOf")
# What the API server adds to every CRD's schema (a CRD's own schema leaves them out).
OBJECT_FIELDS = {
    "apiVersion": {"type": "string"},
    "kind": {"type": "string"},
    "metadata": {"type": "object"},
}


def is_istio(obj: dict[str, Any]) -> bool:
    return str(obj.get("apiVersion", "")).split("/", 1)[0].endswith(".istio.io")


def strict(schema: Any) -> Any:
    """``schema`` with every object that lists its properties closed to others."""
    if not isinstance(schema, dict):
        return schema
    closed = {key: strict(value) for key, value in schema.items() if key != "properties"}
    if "properties" in schema:
        closed["properties"] = {name: strict(sub) for name, sub in schema["properties"].items()}
        if not schema.get(PRESERVE) and "additionalProperties" not in schema:
            closed["additionalProperties"] = False
    for key in NESTED:
        if key in schema:
            closed[key] = [strict(sub) for sub in schema[key]]
    return closed


@cache
def validators() -> dict[tuple[str, str], Draft7Validator]:
    """(apiVersion, kind) -> its validator, for each vendored CRD's served versions."""
    found: dict[tuple[str, str], Draft7Validator] = {}
    for crd in json.loads(CRDS.read_text(encoding="utf-8")):
        group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
        for version in crd["spec"]["versions"]:
            schema = dict(version["schema"]["openAPIV3Schema"])
            schema["properties"] = {**OBJECT_FIELDS, **schema["properties"]}
            schema = strict(schema)
            Draft7Validator.check_schema(schema)
            found[(f"{group}/{version['name']}", kind)] = Draft7Validator(schema)
    return found


def problems(obj: dict[str, Any]) -> list[str]:
    """What is wrong with Istio object ``obj``, one line each; empty when it is valid."""
    name = f"{obj.get('kind')}/{obj.get('metadata', {}).get('name')}"
    validator = validators().get((str(obj.get("apiVersion")), str(obj.get("kind"))))
    if validator is None:
        return [f"{name}: no vendored Istio schema for {obj.get('apiVersion')}"]
    return [
        f"{name}: {'/'.join(str(p) for p in error.absolute_path) or '.'}: {error.message[:300]}"
        for error in sorted(validator.iter_errors(obj), key=lambda e: list(e.absolute_path))
    ]
