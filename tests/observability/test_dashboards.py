"""The dashboards as code: what infra/observability/dashboards.py generates is what is
committed (the JSON and the ConfigMaps in infra/k8s), one per service plus the gateway's
and the overview, and every query reads a metric the platform really has: a recording
rule of prometheus/rules/recording.yml or a metric the code registers."""

from __future__ import annotations

import importlib.util
import json
import re
from types import ModuleType

import yaml

from tests.observability.binaries import OBSERVABILITY, ROOT

SERVICES = {"users", "courses", "content", "labs", "assessments", "payments", "forum"}
SERVICES |= {"notifications", "analytics"}
# Metrics outside the code: Prometheus' own, and Litestar's Prometheus middleware's.
BUILT_IN = {"up", "ALERTS", "litestar_requests_in_progress"}
IDENTIFIER = re.compile(r"\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[{(\[]")
PROMQL_WORDS = {"sum", "min", "max", "count", "rate", "increase", "by", "or", "vector"}


def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dashboards", OBSERVABILITY / "dashboards.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def recorded() -> set[str]:
    rules = yaml.safe_load((OBSERVABILITY / "prometheus/rules/recording.yml").read_text())
    return {rule["record"] for group in rules["groups"] for rule in group["rules"]}


def registered_by_the_code() -> set[str]:
    names: set[str] = set()
    for path in [*ROOT.glob("packages/*/src/**/*.py")]:
        names |= set(re.findall(r'(?:Gauge|Counter|Histogram)\(\s*"([a-z_]+)"', path.read_text()))
    return names


def test_the_committed_dashboards_and_configmaps_are_what_the_generator_makes() -> None:
    stale = generator().stale()
    assert not stale, (
        f"run `make dashboards` and commit: {[str(p.relative_to(ROOT)) for p in stale]}"
    )


def test_one_dashboard_per_service_plus_the_gateway_and_the_overview() -> None:
    uids = {p.stem for p in (OBSERVABILITY / "grafana").glob("*.json")}
    assert uids == {f"cmh-{s}" for s in (*SERVICES, "gateway", "platform")}


def test_every_query_reads_a_metric_that_exists() -> None:
    known = recorded() | registered_by_the_code() | BUILT_IN
    assert {"cmh_outbox_pending_events", "cmh_dead_letters_total"} <= known
    unknown: list[str] = []
    queries = 0
    for path in sorted((OBSERVABILITY / "grafana").glob("*.json")):
        for panel in json.loads(path.read_text())["panels"]:
            for target in panel.get("targets", []):
                queries += 1
                for name in set(IDENTIFIER.findall(target["expr"])) - PROMQL_WORDS:
                    if name not in known:
                        unknown.append(f"{path.name}: {panel['title']}: {name}")
    print(f"\n{queries} dashboard queries, every metric known")
    assert not unknown, unknown
