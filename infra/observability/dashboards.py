"""Grafana dashboards as code: one per service (its API, worker and the gateway's view of
it) and a platform overview, built with the Apache-licensed grafana-foundation-sdk on the
metrics the apps expose and the recording rules in prometheus/rules/recording.yml.

    .venv/bin/python infra/observability/dashboards.py write   # (make dashboards)
    .venv/bin/python infra/observability/dashboards.py check   # fails when stale (make test)

Writes infra/observability/grafana/<uid>.json (for a Grafana's file provisioning) and
infra/k8s/base/observability/: one ConfigMap per dashboard (label ``grafana_dashboard``,
what Grafana's dashboard sidecar collects) and a ConfigMap with the Prometheus rules."""

from __future__ import annotations

import sys
from pathlib import Path

from grafana_foundation_sdk.builders import stat, timeseries
from grafana_foundation_sdk.builders.dashboard import Dashboard, Row
from grafana_foundation_sdk.builders.prometheus import Dataquery
from grafana_foundation_sdk.cog.encoder import JSONEncoder
from grafana_foundation_sdk.models.dashboard import DataSourceRef

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
GRAFANA = HERE / "grafana"
K8S = ROOT / "infra" / "k8s" / "base" / "observability"
RULES = HERE / "prometheus" / "rules"
SERVICES = (
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
PROMETHEUS = DataSourceRef(type_val="prometheus", uid="prometheus")
TAGS = ["cloudmastershub", "generated"]


def query(expr: str, legend: str) -> Dataquery:
    return Dataquery().expr(expr).legend_format(legend)


def graph(title: str, unit: str, *targets: Dataquery, width: int = 12) -> timeseries.Panel:
    panel = timeseries.Panel().title(title).unit(unit).datasource(PROMETHEUS).span(width).height(8)
    for ref, target in zip("ABCDEFGH", targets, strict=False):
        panel = panel.with_target(target.ref_id(ref))
    return panel


def single(title: str, unit: str, target: Dataquery) -> stat.Panel:
    return (
        stat.Panel()
        .title(title)
        .unit(unit)
        .datasource(PROMETHEUS)
        .span(6)
        .height(4)
        .with_target(target)
    )


def service_dashboard(service: str) -> Dashboard:
    s = f'service="{service}"'
    return (
        Dashboard(f"CloudMastersHub / {service}")
        .uid(f"cmh-{service}")
        .tags([*TAGS, service])
        .description(f"The {service} service: its API and worker (RED per route, messaging).")
        .refresh("30s")
        .time("now-3h", "now")
        .with_row(Row("Health"))
        .with_panel(single("API up", "none", query(f'min(up{{{s}, kind="api"}})', "api")))
        .with_panel(single("Worker up", "none", query(f'min(up{{{s}, kind="worker"}})', "worker")))
        .with_panel(
            single("Requests / s", "reqps", query(f"service:http_requests:rate5m{{{s}}}", "rate"))
        )
        .with_panel(
            single(
                "5xx ratio",
                "percentunit",
                query(f"service:http_server_errors:ratio_rate5m{{{s}}}", "5xx"),
            )
        )
        .with_panel(
            graph(
                "Dependencies answering readiness",
                "none",
                query(f"cmh_dependency_up{{{s}}}", "{{kind}} {{dependency}} ({{role}})"),
                width=24,
            )
        )
        .with_row(Row("Requests (RED per route)"))
        .with_panel(
            graph(
                "Rate per route",
                "reqps",
                query(f"service_route:http_requests:rate5m{{{s}}}", "{{method}} {{path}}"),
            )
        )
        .with_panel(
            graph(
                "Server errors per route",
                "reqps",
                query(f"service_route:http_server_errors:rate5m{{{s}}}", "{{method}} {{path}}"),
            )
        )
        .with_panel(
            graph(
                "p99 latency per route",
                "s",
                query(
                    f"service_route:http_request_duration_seconds:p99_5m{{{s}}}",
                    "{{method}} {{path}}",
                ),
            )
        )
        .with_panel(
            graph(
                "Requests in flight",
                "none",
                query(f"sum(litestar_requests_in_progress{{{s}}})", "in flight"),
            )
        )
        .with_row(Row("Messaging"))
        .with_panel(
            graph(
                "Outbox",
                "none",
                query(f"service:outbox_pending_events:max{{{s}}}", "pending events"),
                query(f"service:outbox_oldest_pending_seconds:max{{{s}}}", "oldest pending (s)"),
            )
        )
        .with_panel(
            graph(
                "Consumer lag per group",
                "none",
                query(f"service_group:consumer_lag_messages:sum{{{s}}}", "{{group}}"),
            )
        )
        .with_panel(
            graph(
                "Dead letters parked (last hour)",
                "none",
                query(f"service_topic:dead_letters:increase1h{{{s}}}", "{{topic}}"),
                width=24,
            )
        )
    )


def gateway_dashboard() -> Dashboard:
    s = 'service="gateway"'
    return (
        Dashboard("CloudMastersHub / gateway")
        .uid("cmh-gateway")
        .tags([*TAGS, "gateway"])
        .description("The edge: every public request, its routes, and the upstreams it ejects.")
        .refresh("30s")
        .time("now-3h", "now")
        .with_row(Row("Health"))
        .with_panel(single("Gateway up", "none", query(f"min(up{{{s}}})", "gateway")))
        .with_panel(
            single("Requests / s", "reqps", query(f"service:http_requests:rate5m{{{s}}}", "rate"))
        )
        .with_panel(
            single(
                "5xx ratio",
                "percentunit",
                query(f"service:http_server_errors:ratio_rate5m{{{s}}}", "5xx"),
            )
        )
        .with_panel(
            single(
                "p99 latency",
                "s",
                query(f"service:http_request_duration_seconds:p99_5m{{{s}}}", "p99"),
            )
        )
        .with_row(Row("Routes and upstreams"))
        .with_panel(
            graph(
                "Rate per route",
                "reqps",
                query(f"service_route:http_requests:rate5m{{{s}}}", "{{method}} {{path}}"),
            )
        )
        .with_panel(
            graph(
                "p99 latency per route",
                "s",
                query(
                    f"service_route:http_request_duration_seconds:p99_5m{{{s}}}",
                    "{{method}} {{path}}",
                ),
            )
        )
        .with_panel(
            graph(
                "Upstream instances ejected",
                "none",
                query(
                    "sum by (upstream) (increase(cmh_gateway_ejections_total[5m]))", "{{upstream}}"
                ),
                width=24,
            )
        )
    )


def overview_dashboard() -> Dashboard:
    return (
        Dashboard("CloudMastersHub / platform overview")
        .uid("cmh-platform")
        .tags([*TAGS, "overview"])
        .description(
            "Every service at a glance: availability, RED, messaging and the alerts firing."
        )
        .refresh("30s")
        .time("now-6h", "now")
        .with_row(Row("Availability"))
        .with_panel(single("Targets down", "none", query("count(up == 0) or vector(0)", "down")))
        .with_panel(
            single(
                "Alerts firing",
                "none",
                query('count(ALERTS{alertstate="firing"}) or vector(0)', "firing"),
            )
        )
        .with_panel(
            single("Requests / s", "reqps", query("sum(service:http_requests:rate5m)", "all"))
        )
        .with_panel(
            single(
                "Dead letters (last hour)",
                "none",
                query("sum(service_topic:dead_letters:increase1h) or vector(0)", "parked"),
            )
        )
        .with_panel(graph("Up per process", "none", query("up", "{{service}} {{kind}}"), width=24))
        .with_row(Row("RED per service"))
        .with_panel(graph("Rate", "reqps", query("service:http_requests:rate5m", "{{service}}")))
        .with_panel(
            graph(
                "5xx ratio",
                "percentunit",
                query("service:http_server_errors:ratio_rate5m", "{{service}}"),
            )
        )
        .with_panel(
            graph(
                "p99 latency",
                "s",
                query("service:http_request_duration_seconds:p99_5m", "{{service}}"),
            )
        )
        .with_panel(
            graph(
                "Alerts firing",
                "none",
                query('ALERTS{alertstate="firing"}', "{{alertname}} {{service}}"),
            )
        )
        .with_row(Row("Messaging"))
        .with_panel(
            graph(
                "Oldest unpublished outbox event",
                "s",
                query("service:outbox_oldest_pending_seconds:max", "{{service}}"),
            )
        )
        .with_panel(
            graph(
                "Consumer lag",
                "none",
                query("service_group:consumer_lag_messages:sum", "{{service}} {{group}}"),
            )
        )
        .with_row(Row("Labs spend"))
        .with_panel(
            graph(
                "Lab cost per hour",
                "currencyUSD",
                query("provider:lab_cost_usd:per_hour", "{{provider}}"),
            )
        )
        .with_panel(
            graph(
                "Sessions stopped at their budget cap (last hour)",
                "none",
                query("lab_sessions_capped:increase1h", "capped"),
            )
        )
    )


def dashboards() -> dict[str, str]:
    """uid -> the dashboard's JSON, as written."""
    built = [service_dashboard(s) for s in SERVICES] + [gateway_dashboard(), overview_dashboard()]
    encoder = JSONEncoder(sort_keys=True, indent=2)
    out: dict[str, str] = {}
    for builder in built:
        dashboard = builder.build()
        # Grafana keys panel state (links, the one in view) on unique ids.
        for number, panel in enumerate(dashboard.panels or [], start=1):
            panel.id_val = number
        out[str(dashboard.uid)] = encoder.encode(dashboard) + "\n"
    return out


def _indented(text: str, spaces: int) -> str:
    pad = " " * spaces
    return "".join(f"{pad}{line}\n" if line.strip() else "\n" for line in text.splitlines())


def configmap(name: str, labels: dict[str, str], files: dict[str, str]) -> str:
    label_lines = "".join(f'    {k}: "{v}"\n' for k, v in labels.items())
    data = "".join(f"  {key}: |\n{_indented(text, 4)}" for key, text in files.items())
    return (
        "---\n# Generated by infra/observability/dashboards.py (make dashboards): do not edit.\n"
        f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {name}\n  labels:\n"
        f"    app.kubernetes.io/part-of: cloudmastershub\n{label_lines}data:\n{data}"
    )


def outputs() -> dict[Path, str]:
    files: dict[Path, str] = {}
    built = dashboards()
    for uid, text in built.items():
        files[GRAFANA / f"{uid}.json"] = text
    files[K8S / "grafana-dashboards.yaml"] = "".join(
        configmap(f"grafana-dashboard-{uid}", {"grafana_dashboard": "1"}, {f"{uid}.json": text})
        for uid, text in built.items()
    )
    rules = {
        p.name: p.read_text()
        for p in sorted(RULES.glob("*.yml"))
        if not p.name.endswith("_test.yml")
    }
    files[K8S / "prometheus-rules.yaml"] = configmap(
        "prometheus-rules", {"prometheus_rule": "1"}, rules
    )
    files[K8S / "kustomization.yaml"] = (
        "# Generated by infra/observability/dashboards.py (make dashboards): do not edit.\n"
        "# Grafana's dashboards (its sidecar collects ConfigMaps labelled grafana_dashboard) and\n"
        "# Prometheus' recording and alerting rules (infra/observability/prometheus/rules).\n"
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "resources:\n  - grafana-dashboards.yaml\n  - prometheus-rules.yaml\n"
    )
    return files


def stale() -> list[Path]:
    expected = outputs()
    extra = {p for p in GRAFANA.glob("*.json")} - set(expected)
    return sorted(
        [p for p, text in expected.items() if not p.exists() or p.read_text() != text] + list(extra)
    )


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "write"
    if command == "check":
        outdated = stale()
        for path in outdated:
            print(f"stale: {path.relative_to(ROOT)}")
        if outdated:
            print("run `make dashboards` and commit the result")
        return 1 if outdated else 0
    GRAFANA.mkdir(parents=True, exist_ok=True)
    K8S.mkdir(parents=True, exist_ok=True)
    for old in GRAFANA.glob("*.json"):
        old.unlink()
    for path, text in outputs().items():
        path.write_text(text)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
