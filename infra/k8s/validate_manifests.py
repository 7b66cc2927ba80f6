"""Validates the Kubernetes manifests and the compose file, offline.

Run through ``make validate-manifests`` (infra/k8s/validate.sh), which installs the pinned
validators from PyPI into a cache venv. Every schema comes from inside those packages:
``kubernetes-validate`` ships the Kubernetes OpenAPI-derived JSON schemas per version, and
``check-jsonschema`` vendors the compose-spec schema. Nothing is downloaded at run time.

What it checks:
1. yamllint (relaxed, line length 120) on every YAML file of infra/k8s and infra/compose.
2. base, overlays/production, overlays/demo and overlays/istio rendered by render.py (the
   Kustomize subset); every object validated in strict mode (unknown fields rejected)
   against Kubernetes ``KUBERNETES_VERSION``, the Istio ones against Istio's CRD schemas
   vendored in schemas/istio (istio_schemas.py).
3. Policy on the rendered objects: probes on /health/live and /health/ready, resources
   requests and limits, non-root + read-only root fs, no Secret objects and no literal
   secret values, every secretKeyRef names a Secret documented in infra/k8s/README.md,
   api+worker Deployments and a migrate Job per app, HPAs for the gateway and the
   workers, production images pinned (not ``latest``), a demo seed Job in overlays/demo
   and none in production, each app's pods under its own ServiceAccount; in
   overlays/istio: STRICT mutual TLS for the namespace, deny by default, an
   AuthorizationPolicy per app naming only existing service accounts, and a
   DestinationRule and a VirtualService for every Service.
4. infra/compose/docker-compose.yml against the compose-spec JSON schema, plus structure:
   a migrate service per app that the API and worker wait for, healthchecks, depends_on
   conditions, the one-shot seed service waiting for every API.

Exit status 0 when everything passes; each failure is printed on its own line.
"""

from __future__ import annotations

import importlib.resources
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml  # pants: no-infer-dep (PyYAML: in the validate venv, not in pyproject)
from jsonschema import validators  # pants: no-infer-dep (validate venv only)
from kubernetes_validate import utils as kv_utils  # pants: no-infer-dep (validate venv only)
from kubernetes_validate import validate as kv_validate  # pants: no-infer-dep

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
from istio_schemas import is_istio  # noqa: E402  # pants: no-infer-dep (sibling script)
from istio_schemas import problems as istio_problems  # noqa: E402  # pants: no-infer-dep
from render import render  # noqa: E402  # pants: no-infer-dep (sibling script)

KUBERNETES_VERSION = "1.33.0"
SERVICE_APPS = (
    "users",
    "courses",
    "content",
    "labs",
    "assessments",
    "payments",
    "forum",
    "notifications",
    "analytics",
)
# A setting whose own name (after the last "__") says it holds a secret value.
SECRET_NAME = re.compile(r"(secret|password|private_key_pem|access_key|api_key)$", re.I)


def looks_secret(variable: str) -> bool:
    return bool(SECRET_NAME.search(variable.rsplit("__", 1)[-1]))


class Report:
    def __init__(self) -> None:
        self.failures: list[str] = []

    def check(self, ok: bool, message: str) -> None:
        if not ok:
            self.failures.append(message)


def yaml_files() -> list[Path]:
    return sorted([*HERE.rglob("*.yaml"), *(ROOT / "infra/compose").glob("*.yml")])


def run_yamllint(report: Report) -> None:
    config = "{extends: relaxed, rules: {line-length: {max: 120}, trailing-spaces: enable}}"
    result = subprocess.run(  # noqa: S603 (our interpreter, our file list)
        [sys.executable, "-m", "yamllint", "-f", "parsable", "-d", config, *map(str, yaml_files())],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in result.stdout.splitlines():
        if "[error]" in line:
            report.failures.append(f"yamllint: {line}")


def validate_schema(obj: dict[str, Any], where: str, report: Report) -> None:
    if is_istio(obj):
        report.failures.extend(f"{where}: {problem}" for problem in istio_problems(obj))
        return
    try:
        kv_validate(obj, KUBERNETES_VERSION, strict=True)
    except kv_utils.ValidationError as exc:
        path = "/".join(str(p) for p in exc.path)
        report.failures.append(
            f"{where}: {obj['kind']}/{obj['metadata']['name']}: {path}: {exc.message}"
        )
    except kv_utils.SchemaNotFoundError as exc:
        report.failures.append(f"{where}: {obj.get('kind')}: no schema ({exc})")


def pod_spec(obj: dict[str, Any]) -> dict[str, Any]:
    spec: dict[str, Any] = obj["spec"]["template"]["spec"]
    return spec


def check_policy(objs: list[dict[str, Any]], where: str, report: Report) -> None:
    readme = (HERE / "README.md").read_text()
    by_kind: dict[str, dict[str, dict[str, Any]]] = {}
    for obj in objs:
        by_kind.setdefault(obj["kind"], {})[obj["metadata"]["name"]] = obj
        report.check(obj["kind"] != "Secret", f"{where}: a Secret object is committed")
        if obj["kind"] == "ConfigMap":
            for key in obj.get("data", {}):
                report.check(
                    not looks_secret(key),
                    f"{where}: ConfigMap {obj['metadata']['name']} holds {key}: use a Secret",
                )
    deployments = by_kind.get("Deployment", {})
    jobs = by_kind.get("Job", {})
    hpas = by_kind.get("HorizontalPodAutoscaler", {})
    for app in SERVICE_APPS:
        for name in (f"{app}-api", f"{app}-worker"):
            report.check(name in deployments, f"{where}: Deployment {name} is missing")
        report.check(f"{app}-migrate" in jobs, f"{where}: Job {app}-migrate is missing")
        report.check(f"{app}-worker" in hpas, f"{where}: HPA {app}-worker is missing")
    report.check("gateway" in deployments, f"{where}: Deployment gateway is missing")
    report.check("gateway" in hpas, f"{where}: HPA gateway is missing")
    for hpa in hpas.values():
        target = hpa["spec"]["scaleTargetRef"]["name"]
        report.check(target in deployments, f"{where}: HPA {hpa['metadata']['name']} -> {target}?")
    for obj in [*deployments.values(), *jobs.values()]:
        name = f"{obj['kind']} {obj['metadata']['name']}"
        pod = pod_spec(obj)
        app = obj["metadata"].get("labels", {}).get("app.kubernetes.io/name")
        if app in (*SERVICE_APPS, "gateway"):
            report.check(
                pod.get("serviceAccountName") == app and app in by_kind.get("ServiceAccount", {}),
                f"{where}: {name}: pods must run as ServiceAccount {app} (the mesh names it)",
            )
        report.check(
            pod.get("securityContext", {}).get("runAsNonRoot") is True,
            f"{where}: {name}: pod securityContext.runAsNonRoot must be true",
        )
        for c in pod["containers"]:
            cname = f"{name}/{c['name']}"
            sc = c.get("securityContext", {})
            report.check(
                sc.get("readOnlyRootFilesystem") is True,
                f"{where}: {cname}: readOnlyRootFilesystem must be true",
            )
            report.check(
                sc.get("allowPrivilegeEscalation") is False,
                f"{where}: {cname}: allowPrivilegeEscalation must be false",
            )
            res = c.get("resources", {})
            for part in ("requests", "limits"):
                report.check(
                    {"cpu", "memory"} <= set(res.get(part, {})),
                    f"{where}: {cname}: resources.{part} needs cpu and memory",
                )
            if obj["kind"] == "Deployment":
                live = c.get("livenessProbe", {}).get("httpGet", {}).get("path")
                ready = c.get("readinessProbe", {}).get("httpGet", {}).get("path")
                report.check(live == "/health/live", f"{where}: {cname}: liveness /health/live")
                report.check(ready == "/health/ready", f"{where}: {cname}: readiness /health/ready")
            for env in c.get("env", []):
                if "value" in env:
                    report.check(
                        not looks_secret(env["name"]),
                        f"{where}: {cname}: {env['name']} is a literal: use secretKeyRef",
                    )
                ref = env.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    report.check(
                        f"`{ref['name']}`" in readme and f"`{ref['key']}`" in readme,
                        f"{where}: {cname}: Secret {ref['name']}/{ref['key']} "
                        "is not documented in infra/k8s/README.md",
                    )
        for vol in pod.get("volumes", []):
            if "secret" in vol:
                report.check(
                    f"`{vol['secret']['secretName']}`" in readme,
                    f"{where}: {name}: Secret {vol['secret']['secretName']} undocumented",
                )


def check_dashboards(objs: list[dict[str, Any]], where: str, report: Report) -> None:
    """One Grafana dashboard per service, the gateway's and the platform overview, each a
    dashboard JSON whose every panel queries Prometheus (made by infra/observability)."""
    found: dict[str, dict[str, Any]] = {}
    for obj in objs:
        labels = obj["metadata"].get("labels") or {}
        if obj["kind"] != "ConfigMap" or labels.get("grafana_dashboard") != "1":
            continue
        for key, text in (obj.get("data") or {}).items():
            try:
                dashboard = json.loads(text)
            except json.JSONDecodeError as exc:
                report.failures.append(f"{where}: dashboard {key} is not JSON: {exc}")
                continue
            found[dashboard.get("uid", key)] = dashboard
            panels = [p for p in dashboard.get("panels", []) if p.get("type") != "row"]
            report.check(bool(panels), f"{where}: dashboard {key} has no panels")
            for panel in panels:
                exprs = [t.get("expr", "") for t in panel.get("targets", [])]
                report.check(
                    bool(exprs) and all(exprs),
                    f"{where}: dashboard {key}: panel {panel.get('title')!r} has no query",
                )
    wanted = {f"cmh-{app}" for app in (*SERVICE_APPS, "gateway", "platform")}
    missing = sorted(wanted - set(found))
    report.check(not missing, f"{where}: no Grafana dashboard ConfigMap for {missing}")


def check_production_images(objs: list[dict[str, Any]], report: Report) -> None:
    for obj in objs:
        if obj["kind"] in ("Deployment", "Job"):
            for c in pod_spec(obj)["containers"]:
                image = c["image"]
                report.check(
                    ":" in image.rsplit("/", 1)[-1] and not image.endswith(":latest"),
                    f"production: {obj['metadata']['name']}: image {image} not pinned",
                )


def check_demo_seed(rendered: dict[str, list[dict[str, Any]]], report: Report) -> None:
    """The demo overlay seeds the demo data (documented passwords); production never does."""

    def seed_jobs(objs: list[dict[str, Any]]) -> list[str]:
        return [
            obj["metadata"]["name"]
            for obj in objs
            if obj["kind"] == "Job"
            and obj["metadata"].get("labels", {}).get("app.kubernetes.io/component") == "seed"
        ]

    report.check(
        seed_jobs(rendered["production"]) == [],
        "production: a demo seed Job would give the demo accounts their known passwords",
    )
    report.check(seed_jobs(rendered["demo"]) == ["demo-seed"], "demo: Job demo-seed is missing")


def check_mesh(objs: list[dict[str, Any]], report: Report) -> None:
    """The istio overlay: mTLS only, deny unless allowed, every app's callers named by
    existing service accounts, traffic policy for every Service."""
    by_kind: dict[str, dict[str, dict[str, Any]]] = {}
    for obj in objs:
        by_kind.setdefault(obj["kind"], {})[obj["metadata"]["name"]] = obj
    peer = by_kind.get("PeerAuthentication", {}).get("default", {}).get("spec", {})
    report.check(
        peer.get("mtls", {}).get("mode") == "STRICT" and "selector" not in peer,
        "istio: PeerAuthentication default must make mTLS STRICT for the whole namespace",
    )
    policies = by_kind.get("AuthorizationPolicy", {})
    report.check(
        policies.get("deny-by-default", {}).get("spec") == {},
        "istio: AuthorizationPolicy deny-by-default (empty spec) is missing",
    )
    accounts = set(by_kind.get("ServiceAccount", {}))
    for app in (*SERVICE_APPS, "gateway"):
        report.check(f"{app}-callers" in policies, f"istio: AuthorizationPolicy {app}-callers?")
    for name, policy in policies.items():
        for rule in policy["spec"].get("rules", []):
            for source in rule.get("from", []):
                for principal in source.get("source", {}).get("principals", []):
                    namespace, _, account = principal.removeprefix("cluster.local/ns/").partition(
                        "/sa/"
                    )
                    report.check(
                        namespace != "cloudmastershub" or account in accounts,
                        f"istio: {name} names {principal}, which no ServiceAccount is",
                    )
    for service in by_kind.get("Service", {}):
        for kind in ("DestinationRule", "VirtualService"):
            report.check(service in by_kind.get(kind, {}), f"istio: {kind} {service} is missing")


def compose_schema() -> dict[str, Any]:
    package = importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
    loaded: dict[str, Any] = json.loads((package / "compose-spec.json").read_text())
    return loaded


def check_compose(report: Report) -> None:
    path = ROOT / "infra/compose/docker-compose.yml"
    doc = yaml.safe_load(path.read_text())
    schema = compose_schema()
    # The vendored compose-spec declares its draft (2020-12): validate with that draft.
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    for error in sorted(validator.iter_errors(doc), key=lambda e: list(e.path)):
        where = "/".join(str(p) for p in error.path)
        report.failures.append(f"compose: {where}: {error.message[:300]}")
    services = doc.get("services", {})
    for name in ("postgres", "redis", "kafka", "ferretdb", "gateway"):
        report.check(name in services, f"compose: service {name} is missing")
    report.check(
        services.get("kafka", {}).get("image", "").startswith("apache/kafka"),
        "compose: kafka must use the apache/kafka image (KRaft)",
    )
    for app in SERVICE_APPS:
        migrate = services.get(f"{app}-migrate")
        report.check(
            migrate is not None and migrate.get("command") == ["migrate"],
            f"compose: {app}-migrate must run `migrate`",
        )
        for kind in ("api", "worker"):
            svc = services.get(f"{app}-{kind}")
            if svc is None:
                report.failures.append(f"compose: {app}-{kind} is missing")
                continue
            report.check("healthcheck" in svc, f"compose: {app}-{kind} has no healthcheck")
            deps = svc.get("depends_on", {})
            report.check(
                deps.get(f"{app}-migrate", {}).get("condition") == "service_completed_successfully",
                f"compose: {app}-{kind} must wait for {app}-migrate to complete",
            )
            report.check(
                all(isinstance(v, dict) and "condition" in v for v in deps.values()),
                f"compose: {app}-{kind}: every depends_on needs a condition",
            )
    seed = services.get("seed", {})
    report.check(
        seed.get("restart") == "no"
        and all(
            cond.get("condition") == "service_healthy"
            for cond in seed.get("depends_on", {}).values()
        )
        and len(seed.get("depends_on", {})) == len(SERVICE_APPS),
        "compose: the one-shot seed service must wait for every API to be healthy",
    )
    for name, svc in services.items():
        for key in svc.get("environment", {}) if isinstance(svc.get("environment"), dict) else {}:
            value = str(svc["environment"][key])
            report.check(
                not (looks_secret(key) and not value.startswith("${")),
                f"compose: {name}: {key} has a literal value: take it from .env",
            )


def main() -> int:
    started = time.monotonic()
    report = Report()
    run_yamllint(report)
    rendered: dict[str, list[dict[str, Any]]] = {}
    for where, directory in (
        ("base", HERE / "base"),
        ("production", HERE / "overlays/production"),
        ("demo", HERE / "overlays/demo"),
        ("istio", HERE / "overlays/istio"),
    ):
        objs = render(directory)
        rendered[where] = objs
        for obj in objs:
            validate_schema(obj, where, report)
        check_policy(objs, where, report)
        check_dashboards(objs, where, report)
    check_production_images(rendered["production"], report)
    check_demo_seed(rendered, report)
    check_mesh(rendered["istio"], report)
    check_compose(report)
    counts = ", ".join(f"{k}: {len(v)} objects" for k, v in rendered.items())
    mesh = sum(1 for obj in rendered["istio"] if is_istio(obj))
    for failure in report.failures:
        print(f"FAIL {failure}")
    status = "FAILED" if report.failures else "OK"
    print(
        f"==> manifests {status} ({counts}; compose checked; Kubernetes {KUBERNETES_VERSION}"
        f" strict; {mesh} Istio objects against Istio's CRD schemas;"
        f" {len(report.failures)} failures; {time.monotonic() - started:.1f}s)"
    )
    return 1 if report.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
