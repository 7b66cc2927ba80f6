"""The Istio overlay's policy is the integration map's (``mesh_policy.py`` generates it):
the committed files are not stale, every REST call between services is allowed and
nothing else is, and every Istio object passes Istio's own CRD schemas, which do refuse a
broken object."""

from __future__ import annotations

import copy
from pathlib import PurePosixPath
from typing import Any

import pytest
import yaml

from infra.k8s.istio_schemas import is_istio, problems
from tests.contract import mesh_policy
from tests.contract.integration_map import ROOT, SERVICES, Tables


@pytest.fixture(scope="module")
def mesh_objects() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for path in sorted(mesh_policy.OVERLAY.glob("*.yaml")):
        found += [doc for doc in yaml.safe_load_all(path.read_text()) if doc and is_istio(doc)]
    return found


def allowed(policies: list[dict[str, Any]], caller: str, target: str, path: str) -> bool:
    """Whether ``caller``'s pods may send ``path`` to ``target``'s API, as Istio decides
    with these ALLOW policies (exact, ``prefix*`` and ``*suffix`` paths)."""
    wanted = mesh_policy.principal(caller)
    for policy in policies:
        labels = policy["spec"].get("selector", {}).get("matchLabels", {})
        if labels.get("app.kubernetes.io/name") != target:
            continue
        for rule in policy["spec"]["rules"]:
            principals = [p for s in rule["from"] for p in s["source"]["principals"]]
            paths = [p for t in rule.get("to", []) for p in t["operation"]["paths"]]
            if wanted in principals and (not paths or any(_matches(p, path) for p in paths)):
                return True
    return False


def _matches(pattern: str, path: str) -> bool:
    if pattern.endswith("*"):
        return path.startswith(pattern[:-1])
    if pattern.startswith("*"):
        return path.endswith(pattern[1:])
    return pattern == path


def test_the_committed_mesh_policy_is_what_the_map_says(tables: Tables) -> None:
    for path, text in mesh_policy.files(tables).items():
        assert path.read_text(encoding="utf-8") == text, (
            f"{path.relative_to(ROOT)} is stale: run `make map` and commit it"
        )


def test_every_call_between_services_is_allowed_and_no_other(
    tables: Tables, mesh_objects: list[dict[str, Any]]
) -> None:
    policies = [o for o in mesh_objects if o["kind"] == "AuthorizationPolicy"]
    contexts = {name: context for context, name in SERVICES.items()}
    calls = [
        (contexts[row.source], contexts[row.target], path)
        for row in tables.services
        if row.protocol == "REST" and row.source != SERVICES["gateway"]
        for path in mesh_policy.EVIDENCE_PATH.findall(row.evidence)
    ]
    assert len(calls) >= 20
    for caller, target, path in calls:
        concrete = path.replace("{", "x-").replace("}", "")
        assert allowed(policies, caller, target, concrete), f"{caller} -> {target} {path}"
    # Who is not in the map may not call: labs never calls content, nobody calls a worker.
    assert not allowed(policies, "labs", "content", "/internal/v1/content/assets/a/playback")
    assert not allowed(policies, "analytics", "payments", "/api/v1/payments/plans")
    # The gateway proxies public routes only, never /internal.
    assert allowed(policies, "gateway", "courses", "/api/v1/courses/c-1")
    assert not allowed(policies, "gateway", "users", "/internal/v1/users/u-1/tier")
    # Whatever no ALLOW policy names is refused (a worker, a route nobody calls).
    assert [p["spec"] for p in policies if p["metadata"]["name"] == "deny-by-default"] == [{}]


def test_every_mesh_object_passes_istio_s_crd_schemas(
    mesh_objects: list[dict[str, Any]],
) -> None:
    kinds = {o["kind"] for o in mesh_objects}
    assert kinds == {
        "PeerAuthentication",
        "AuthorizationPolicy",
        "DestinationRule",
        "VirtualService",
    }
    assert [line for o in mesh_objects for line in problems(o)] == []


@pytest.mark.parametrize(
    ("kind", "field", "broken", "complaint"),
    [
        ("PeerAuthentication", "spec/mtls/mode", "STRICTEST", "is not one of"),
        ("VirtualService", "spec/http/0/timeout", 30, "is not of type 'string'"),
        ("AuthorizationPolicy", "spec/rules/0/form", [], "'form' was unexpected"),
    ],
)
def test_a_broken_object_fails_the_schema(
    mesh_objects: list[dict[str, Any]], kind: str, field: str, broken: object, complaint: str
) -> None:
    obj = copy.deepcopy(next(o for o in mesh_objects if o["kind"] == kind and o["spec"]))
    *parents, last = PurePosixPath(field).parts
    node: Any = obj
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    node[last] = broken
    assert any(complaint in line for line in problems(obj)), problems(obj)
