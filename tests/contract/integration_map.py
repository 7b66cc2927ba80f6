"""The seed's integration map, derived from the code: ``make map`` writes it to
``contracts/integration-map.md``; ``test_integration_map`` fails when the code and that file
disagree, and when a row of the seed's own tables is missing without a reason in
``contracts/integration-map-pending.toml``.

Where each table comes from (nothing is declared twice):

- REST between services: every path literal under ``/internal/v1`` or ``/api/v1`` in a
  context's ``adapters/`` (its HTTP clients; docstrings and tests left out) matched against
  the routes another context serves in the distributed profile (``module.routes``); the
  gateway's proxy table and JWKS upstream from ``GatewaySettings``' defaults; a JWKS check
  (``JwksAuthProvider``) in a context's distributed providers is a call to users' keys.
- Kafka events: the publisher of each contracts event is the context whose
  integration-events map (``module.events``) produces it; the subscribers are each module's
  ``subscriptions()`` (topic and event types).
- WebSocket: the ``websocket`` route handlers a context serves.
- External systems: the vendor SDKs, AWS clients and vendor hosts in a context's adapters
  (``FINGERPRINTS`` below names what each one is).
- Infrastructure: the health checks and providers of each context's distributed profile
  (its stores, bus and caches), Redis Pub/Sub and SQS from the adapters, and the servers
  ``infra/local/up.sh`` and ``infra/compose/docker-compose.yml`` start.
- Integration testing: the suites under ``tests/``.

    python -m tests.contract.integration_map write   # or: make map
    python -m tests.contract.integration_map check   # exit 1 when the file is stale
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
import sys
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MAP_FILE = ROOT / "contracts" / "integration-map.md"

# Each context under the name the seed gives its service.
SERVICES: dict[str, str] = {
    "gateway": "API Gateway",
    "users": "User Management Service",
    "courses": "Course Management Service",
    "content": "Content Delivery Service",
    "labs": "Lab Environment Service",
    "assessments": "Assessment Service",
    "payments": "Payment Service",
    "notifications": "Notification Service",
    "analytics": "Analytics Service",
    "forum": "Forum Service",
}

# What a vendor SDK import, an AWS client or a vendor host in an adapter means.
IMPORT_FINGERPRINTS: dict[str, tuple[str, str]] = {
    "stripe": ("Stripe API", "REST"),
    "sendgrid": ("SendGrid API", "REST"),
    "mixpanel": ("Mixpanel API", "REST"),
    "algoliasearch": ("Algolia Search", "REST"),
    "elasticsearch": ("Elasticsearch", "REST"),
    "azure.mgmt": ("Azure Resource Manager", "REST"),
    "azure.identity": ("Azure Resource Manager", "REST"),
    "azure.storage": ("Azure Storage", "REST"),
    "google.cloud": ("Google Cloud APIs", "REST"),
    "sqlalchemy_redshift": ("Amazon Redshift", "SQL"),
    "botocore.signers": ("AWS CloudFront", "REST"),  # CloudFrontSigner: signed CDN URLs
    "smtplib": ("SMTP relay", "SMTP"),
}
HOST_FINGERPRINTS: dict[str, tuple[str, str]] = {
    "auth0.com": ("Auth0 API", "REST"),
    "proctor.io": ("Proctorio API", "REST"),
    "management.azure.com": ("Azure Resource Manager", "REST"),
}
# Adapter modules named after their vendor (an HTTP client of the vendor's REST API).
MODULE_FINGERPRINTS: dict[str, tuple[str, str]] = {
    "auth0": ("Auth0 API", "REST"),
    "proctorio": ("Proctorio API", "REST"),
}
# boto3 clients by service name; SQS is infrastructure (a queue), the rest AWS's APIs.
AWS_QUEUES = {"sqs"}

# Infrastructure: what each distributed-profile health check or provider stands for.
CHECKS: dict[str, str] = {
    "DatabaseCheck": "PostgreSQL",
    "MongoCheck": "MongoDB",
    "RedisCheck": "Redis",
    "BrokerCheck": "Apache Kafka",
}
PROVIDER_WORDS: dict[str, str] = {"Redis": "Redis", "Kafka": "Apache Kafka"}
COMPONENTS: dict[str, tuple[str, str]] = {  # name -> (type, purpose)
    "PostgreSQL": ("Relational DB", "each service's own database, outbox and inbox"),
    "PostgreSQL Read Replicas": (
        "Relational DB",
        "read-only requests, with read-your-writes by WAL position",
    ),
    "MongoDB": ("Document DB", "course lesson documents, forum posts, media assets"),
    "Redis": ("Cache/Session Store", "caches, token stamps, rate limits, login throttling"),
    "Apache Kafka": ("Event streaming", "integration events from the outboxes"),
    "Redis Pub/Sub": ("Real-time messaging", "live updates fanned out across instances"),
    "Amazon SQS": ("Async task queue", "background jobs (lab provisioning, mail)"),
    "Jaeger": ("Distributed tracing", "OTLP traces from every service"),
    "ELK Stack": (
        "Centralized logging",
        "ECS JSON log lines of every process in Elasticsearch, found by request id",
    ),
    "Prometheus": ("Metrics collection", "scrapes /metrics"),
    "Grafana": ("Monitoring dashboards", "dashboards over Prometheus"),
    "Service Mesh (Istio)": (
        "Service mesh",
        "mutual TLS, who may call whom, connection pools, outlier detection, timeouts, retries",
    ),
    "Vault": ("Secret management", "API keys (KV v2), dynamic PostgreSQL credentials"),
    "Consul": ("Service discovery", "the gateway's upstream instances (blocking queries)"),
    "AlertManager": ("Alert routing", "Prometheus' alerts to every administrator"),
}
# Infrastructure reached through its SDK: the import, the component, and who uses it (the
# kernel's adapters serve every service).
SDK_INFRA: dict[str, str] = {"hvac": "Vault", "consul": "Consul"}
# The monitoring infra/distributed/up.sh starts (infra/local/<name>.sh) and what it is.
MONITORS: dict[str, str] = {"prometheus": "Prometheus", "alertmanager": "AlertManager"}
OBSERVABILITY = ROOT / "infra" / "observability"
# Servers of infra/ (local scripts and compose services) and the component each one is.
SERVERS: dict[str, tuple[str, ...]] = {
    "postgres": ("PostgreSQL",),
    "ferretdb": ("MongoDB",),
    "redis": ("Redis", "Redis Pub/Sub"),
    "kafka": ("Apache Kafka",),
    "jaeger": ("Jaeger",),
    "elasticsearch": ("ELK Stack",),  # the log indices (the search indices are external rows)
    "moto": ("Amazon SQS",),  # and AWS's other APIs
    "prometheus": ("Prometheus",),
    "grafana": ("Grafana",),
}

TEST_SUITES: dict[str, str] = {
    "contract": "Contract Testing",
    "e2e": "End-to-End Testing",
    "chaos": "Chaos Testing",
    "perf": "Performance Testing",
    "fuzz": "Fuzz Testing",
}

PATH_LITERAL = re.compile(r"(/(?:internal|api)/v1/[^\s?#\"'`]*)")


@dataclass(frozen=True, order=True)
class Row:
    """One line of a table: ``source`` uses or calls ``target`` over ``protocol``."""

    source: str
    target: str
    protocol: str
    purpose: str
    evidence: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source, self.target, self.protocol)


@dataclass
class Tables:
    services: list[Row] = field(default_factory=list)  # between the ten services
    external: list[Row] = field(default_factory=list)  # service -> vendor
    infrastructure: list[Row] = field(default_factory=list)  # component <- service
    testing: list[Row] = field(default_factory=list)  # approach -> suite


# ---------------------------------------------------------------------------- the code


def _modules() -> dict[str, Any]:
    from cmh.kernel.module import ContextModule

    found: dict[str, Any] = {}
    for context in SERVICES:
        module = importlib.import_module(f"cmh.{context}.module")
        [kind] = [
            value
            for value in vars(module).values()
            if inspect.isclass(value)
            and issubclass(value, ContextModule)
            and value.__module__ == module.__name__
        ]
        found[context] = kind()
    return found


def _distributed() -> Any:
    from cmh.kernel.module import Profile

    return Profile.DISTRIBUTED


def _first_sentence(text: str | None, limit: int = 110) -> str:
    if not text:
        return ""
    flat = " ".join(text.split())
    sentence = re.split(r"(?<=[A-Za-z0-9)`])\. ", flat, maxsplit=1)[0].rstrip(".")
    sentence = sentence.replace("``", "`").replace("|", "/")
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"


@dataclass(frozen=True)
class Route:
    context: str
    methods: str
    path: str
    doc: str
    websocket: bool

    @property
    def params(self) -> int:
        return self.path.count("{")

    def matches(self, called: str) -> bool:
        template = [s for s in self.path.split("/") if s]
        asked = [s for s in called.split("/") if s]
        for i, segment in enumerate(template):
            if segment.startswith("{") and segment.endswith(":path}"):
                return len(asked) > i
            if i >= len(asked):
                return False
            if segment.startswith("{") or "{}" in asked[i]:
                continue
            if segment != asked[i]:
                return False
        return len(asked) == len(template)


def _handlers(item: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    from litestar import Controller, Router
    from litestar.handlers import BaseRouteHandler

    if inspect.isclass(item) and issubclass(item, Controller):
        base = prefix + str(getattr(item, "path", "") or "")
        for name in dir(item):
            value = getattr(item, name, None)
            if isinstance(value, BaseRouteHandler):
                for path in value.paths:
                    yield (base.rstrip("/") + "/" + path.lstrip("/")).rstrip("/"), value
    elif isinstance(item, Router):  # its handlers as registered (litestar keeps them as routes)
        for route in item.routes:
            for handler in getattr(route, "route_handlers", ()):
                yield route.path.rstrip("/") or "/", handler
    elif isinstance(item, BaseRouteHandler):
        for path in item.paths:
            yield (prefix + path).rstrip("/") or "/", item


def _routes(modules: dict[str, Any]) -> list[Route]:
    from litestar.handlers import HTTPRouteHandler

    routes: list[Route] = []
    for context, module in modules.items():
        for item in module.routes(_distributed()):
            for path, handler in _handlers(item):
                fn = getattr(handler, "fn", None)
                doc = (
                    getattr(handler, "summary", None)
                    or inspect.getdoc(fn)
                    or getattr(handler, "description", None)
                    or str(getattr(handler, "operation_id", None) or "").replace("_", " ")
                )
                is_http = isinstance(handler, HTTPRouteHandler)
                methods = ",".join(sorted(handler.http_methods)) if is_http else "WS"
                routes.append(Route(context, methods, path, str(doc), not is_http))
    return routes


def _package(context: str) -> Path:
    return ROOT / "packages" / context / "src" / "cmh" / context


def _adapter_files(context: str) -> Iterator[Path]:
    """The context's adapters and its ``di.py`` (where some SDK clients are made)."""
    for path in [
        *sorted((_package(context) / "adapters").rglob("*.py")),
        _package(context) / "di.py",
    ]:
        if path.name.endswith("_test.py") or path.name == "conftest.py":
            continue
        yield path


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _literals(tree: ast.AST) -> Iterator[str]:
    """Every string the code builds (f-strings rendered with ``{}`` for their values),
    docstrings left out."""
    inside: set[int] = set()
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            inside.update(id(part) for part in ast.walk(node) if part is not node)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    for node in ast.walk(tree):
        if id(node) in inside or id(node) in docstrings:
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value
        elif isinstance(node, ast.JoinedStr):
            yield "".join(
                str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values
            )


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _join(values: Iterable[str], sep: str = "; ") -> str:
    return sep.join(dict.fromkeys(v for v in values if v))


def _first(count: int, items: Iterable[str]) -> list[str]:
    listed = list(items)
    return listed[:count] + (["…"] if len(listed) > count else [])


def _merge(rows: Iterable[Row]) -> list[Row]:
    """One row per (source, target, protocol), purposes and evidence joined."""
    grouped: dict[tuple[str, str, str], list[Row]] = defaultdict(list)
    for row in rows:
        grouped[row.key].append(row)
    return sorted(
        Row(
            *key,
            purpose=_join(_first(3, dict.fromkeys(r.purpose for r in group if r.purpose))),
            evidence=_join((r.evidence for r in group), "<br>"),
        )
        for key, group in grouped.items()
    )


def _served(called: str, caller: str, routes: Sequence[Route]) -> list[Route]:
    """The routes of another context that answer ``called``: the most literal template
    (``/users/me`` before ``/users/{id}``), each method of it."""
    found = [r for r in routes if r.context != caller and not r.websocket and r.matches(called)]
    if not found:
        return []
    fewest = min(r.params for r in found)
    best = [r for r in found if r.params == fewest]
    methods = ",".join(sorted({m for r in best for m in r.methods.split(",")}))
    first = next((r for r in best if "GET" in r.methods.split(",")), best[0])
    return [Route(first.context, methods, first.path, first.doc, websocket=False)]


# Kernel HTTP clients a context's adapters use (their calls are the adapters' calls).
KERNEL_CLIENTS = {
    "cmh.kernel.auth.service_token": ROOT / "packages/kernel/src/cmh/kernel/auth/service_token.py",
}


def rest_rows(modules: dict[str, Any], routes: Sequence[Route]) -> list[Row]:
    from cmh.gateway.settings import GatewaySettings

    rows: list[Row] = []
    for context in SERVICES:
        for path in _adapter_files(context):
            text = path.read_text()
            # A kernel client the adapter uses makes its calls for it.
            sources = [
                path,
                *(client for module, client in KERNEL_CLIENTS.items() if module in text),
            ]
            literals = [literal for source in sources for literal in _literals(_parse(source))]
            for literal in literals:
                for called in PATH_LITERAL.findall(literal):
                    for route in _served(called.rstrip("/"), context, routes):
                        rows.append(
                            Row(
                                SERVICES[context],
                                SERVICES[route.context],
                                "REST",
                                _first_sentence(route.doc),
                                f"`{route.methods} {route.path}` ({_rel(path)})",
                            )
                        )
    gateway = GatewaySettings()
    prefixes: dict[str, list[str]] = defaultdict(list)
    for prefix, upstream in gateway.routes.items():
        prefixes[upstream].append(prefix)
    for upstream, paths in prefixes.items():
        rows.append(
            Row(
                SERVICES["gateway"],
                SERVICES[upstream],
                "REST",
                "routes the clients' requests (token checked, rate-limited)",
                "proxies "
                + ", ".join(f"`{p}`" for p in sorted(paths))
                + " (GatewaySettings.routes)",
            )
        )
    rows.append(
        Row(
            SERVICES["gateway"],
            SERVICES[gateway.jwks_upstream],
            "REST",
            "validates JWT tokens against the published keys",
            "`GET /.well-known/jwks.json` (GatewaySettings.jwks_upstream)",
        )
    )
    for context, module in modules.items():
        kinds = {type(p).__name__ for p in module.providers(_distributed())}
        if "JwksAuthProvider" in kinds:
            rows.append(
                Row(
                    SERVICES[context],
                    SERVICES["users"],
                    "REST",
                    "verifies callers' JWT tokens against the published keys",
                    "`GET /.well-known/jwks.json` (JwksAuthProvider)",
                )
            )
    return rows


def event_rows(modules: dict[str, Any]) -> list[Row]:
    from cmh.contracts.events.base import IntegrationEvent

    by_type: dict[str, str] = {}  # CloudEvents type -> publishing context
    by_topic: dict[str, set[str]] = defaultdict(set)
    for context, module in modules.items():
        mappers = {translate.__module__ for translate in module.events._translations.values()}
        for name in mappers:
            for value in vars(importlib.import_module(name)).values():
                if (
                    inspect.isclass(value)
                    and issubclass(value, IntegrationEvent)
                    and value is not IntegrationEvent
                ):
                    by_type[value.TYPE] = context
                    by_topic[value.TOPIC].add(context)
    rows: list[Row] = []
    for context, module in modules.items():
        for sub in module.subscriptions():
            publishers: dict[str, list[str]] = defaultdict(list)
            if sub.event_types:
                for kind in sorted(sub.event_types):
                    publishers[by_type.get(kind, "?")].append(kind)
            else:
                for publisher in by_topic.get(sub.topic, {"?"}):
                    publishers[publisher].append("*")
            for publisher, kinds in publishers.items():
                source = SERVICES.get(publisher, "(no publisher)")
                rows.append(
                    Row(
                        source,
                        SERVICES[context],
                        "Kafka Events",
                        _first_sentence(sub.description),
                        f"`{sub.topic}`: {', '.join(kinds)} → `{sub.consumer}`",
                    )
                )
    return rows


def websocket_rows(routes: Sequence[Route]) -> list[Row]:
    return [
        Row(
            SERVICES[route.context],
            # The seed's name for whoever delivers live notifications to browsers; here
            # the service serves the socket itself.
            "Push Notification Service" if route.context == "notifications" else "Browsers",
            "WebSocket",
            _first_sentence(route.doc) or "live delivery to browsers",
            f"`WS {route.path}` served by {route.context} itself",
        )
        for route in routes
        if route.websocket and route.context != "gateway"
    ]


def _aws_services(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "client"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def _imports(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def _calls(tree: ast.AST, attribute: str) -> bool:
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == attribute
        for node in ast.walk(tree)
    )


def _module_doc(path: Path) -> str:
    return _first_sentence(ast.get_docstring(_parse(path)))


def external_and_adapter_infra(modules: dict[str, Any]) -> tuple[list[Row], list[Row]]:
    external: list[Row] = []
    infra: list[Row] = []
    for context in modules:
        service = SERVICES[context]
        for path in _adapter_files(context):
            tree = _parse(path)
            hits: list[tuple[str, str, str]] = []  # (system, protocol, what)
            for name in sorted(_imports(tree)):
                for prefix, (system, protocol) in IMPORT_FINGERPRINTS.items():
                    if name == prefix or name.startswith(prefix + "."):
                        hits.append((system, protocol, f"`{name}`"))
            if path.stem in MODULE_FINGERPRINTS:
                system, protocol = MODULE_FINGERPRINTS[path.stem]
                hits.append((system, protocol, f"`{path.stem}` adapter"))
            literals = list(_literals(tree))
            for host, (system, protocol) in HOST_FINGERPRINTS.items():
                if any(host in literal for literal in literals):
                    hits.append((system, protocol, f"`{host}`"))
            aws = _aws_services(tree)
            if aws - AWS_QUEUES:
                hits.append(("AWS API", "REST", "boto3 " + ", ".join(sorted(aws - AWS_QUEUES))))
            for system, protocol, what in hits:
                # di.py's docstring is about providers: an SDK imported there has its adapter
                # module too; a client made there says what it is.
                purpose = _module_doc(path)
                if path.name == "di.py":
                    purpose = f"{what} clients" if what.startswith("boto3") else ""
                external.append(Row(service, system, protocol, purpose, f"{what} ({_rel(path)})"))
            if aws & AWS_QUEUES:
                infra.append(Row("Amazon SQS", service, "", "", f"boto3 sqs ({_rel(path)})"))
            if _calls(tree, "pubsub"):
                infra.append(Row("Redis Pub/Sub", service, "", "", f"`pubsub()` ({_rel(path)})"))
    return external, infra


def _local_servers() -> list[str]:
    text = (ROOT / "infra" / "local" / "up.sh").read_text(encoding="utf-8")
    found = re.search(r"^ALL_SERVICES=\(([^)]*)\)", text, re.MULTILINE)
    return found.group(1).split() if found else []


def _compose_servers() -> dict[str, str]:
    """The compose file's server containers (not built from the apps), name -> image: its
    ``services:`` block read line by line (two-space service keys, four-space fields)."""
    text = (ROOT / "infra" / "compose" / "docker-compose.yml").read_text(encoding="utf-8")
    fields: dict[str, dict[str, str]] = {}
    current = None
    inside = False
    for line in text.splitlines():
        if re.match(r"^\S", line):
            inside = line.startswith("services:")
            continue
        if not inside:
            continue
        if found := re.match(r"^  ([A-Za-z0-9_-]+):\s*$", line):
            current = fields.setdefault(found.group(1), {})
        elif current is not None and (found := re.match(r"^    (image|build):\s*(.*)$", line)):
            current[found.group(1)] = found.group(2).strip()
    return {
        name: values["image"]
        for name, values in fields.items()
        if "build" not in values and "image" in values and not values["image"].startswith("cmh/")
    }


def profile_infra_rows(modules: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for context, module in modules.items():
        health = module.health(_distributed())
        for check in (*health.ready, *health.signals):
            if check.__name__ in CHECKS:
                rows.append(Row(CHECKS[check.__name__], SERVICES[context], "", "", check.__name__))
        for provider in module.providers(_distributed()):
            name = type(provider).__name__
            for word, component in PROVIDER_WORDS.items():
                if word in name:
                    rows.append(Row(component, SERVICES[context], "", "", name))
    rows += replica_rows()
    local = _local_servers()
    if "jaeger" in local and (ROOT / "packages/kernel/src/cmh/kernel/telemetry").is_dir():
        rows.append(Row("Jaeger", "All services", "", "", "cmh.kernel.telemetry (OTLP)"))
    shipper = ROOT / "infra/local/log_shipper.sh"
    logs_test = ROOT / "tests/e2e/test_logs_in_elasticsearch.py"
    if (ROOT / "packages/kernel/src/cmh/kernel/telemetry/ecs.py").is_file() and shipper.is_file():
        evidence = "cmh.kernel.telemetry.ecs (ECS JSON lines), infra/local/log_shipper.sh"
        evidence += " (OpenTelemetry Collector: filelog to Elasticsearch, cmh-logs-*)"
        if logs_test.is_file():
            evidence += f", tested by {logs_test.relative_to(ROOT)}"
        rows.append(Row("ELK Stack", "All services", "", "", evidence))
    return rows + monitoring_rows()


def replica_rows() -> list[Row]:
    """The services the distributed profile gives a read replica (``CMH_DATABASE__READ_URL``,
    which makes ``compose`` add ``ReadReplicaProvider``)."""
    up = (ROOT / "infra" / "distributed" / "up.sh").read_text(encoding="utf-8")
    test = ROOT / "tests" / "e2e" / "test_distributed_read_replica.py"
    tested = f"; tested by {_rel(test)}" if test.is_file() else ""
    return [
        Row(
            "PostgreSQL Read Replicas",
            SERVICES[database],
            "",
            "",
            f"ReadReplicaProvider via CMH_DATABASE__READ_URL (infra/distributed/up.sh{tested})",
        )
        for database in re.findall(r"CMH_DATABASE__READ_URL=\S*/cmh_(\w+)", up)
    ]


MESH_OVERLAY = ROOT / "infra" / "k8s" / "overlays" / "istio"
PACTS = ROOT / "contracts" / "pacts"


def mesh_rows() -> list[Row]:
    """The Istio overlay's objects, by kind (``mesh_policy.py`` generates its policy)."""
    if not (MESH_OVERLAY / "kustomization.yaml").is_file():
        return []
    kinds: dict[str, int] = defaultdict(int)
    for path in sorted(MESH_OVERLAY.glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        if "istio.io/" in text:
            for kind in re.findall(r"^kind: (\w+)$", text, re.MULTILINE):
                kinds[kind] += 1
    counted = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    return [
        Row(
            "Service Mesh (Istio)",
            "All services",
            "",
            "",
            f"{_rel(MESH_OVERLAY)}: {counted} (tests/contract/test_mesh_policy.py)",
        )
    ]


def sdk_infra_rows() -> list[Row]:
    """Components whose adapters import their SDK (``SDK_INFRA``), with the tests beside
    each adapter that exercise it."""
    rows: list[Row] = []
    places = [("All services", ROOT / "packages/kernel/src/cmh/kernel")]
    places += [(service, _package(context)) for context, service in SERVICES.items()]
    for service, folder in places:
        for path in sorted(folder.rglob("*.py")):
            if path.name.endswith("_test.py") or path.name in {"conftest.py", "di.py"}:
                continue
            imports = _imports(_parse(path))
            for name, component in SDK_INFRA.items():
                if not any(i == name or i.startswith(name + ".") for i in imports):
                    continue
                tests = sorted(p.name for p in path.parent.glob("*_test.py"))
                tested = f"; tested by {', '.join(tests)}" if tests else ""
                rows.append(Row(component, service, "", "", f"`{name}` ({_rel(path)}{tested})"))
    return rows


def monitoring_rows() -> list[Row]:
    """Prometheus scraping the targets of its config, its rules tested by promtool, the
    alerts Alertmanager sends to a webhook, the dashboards generated from the code."""
    rows: list[Row] = []
    config = OBSERVABILITY / "prometheus" / "prometheus.yml"
    if config.is_file():
        targets = len(re.findall(r"targets: \[", config.read_text(encoding="utf-8")))
        tested = (OBSERVABILITY / "prometheus" / "rules" / "alerts_test.yml").is_file()
        evidence = f"infra/observability/prometheus ({targets} scrape targets"
        evidence += "; rules unit-tested by promtool, tests/observability)" if tested else ")"
        rows.append(Row("Prometheus", "All services", "", "", evidence))
    alertmanager = OBSERVABILITY / "alertmanager" / "alertmanager.yml"
    if alertmanager.is_file():
        webhook = PATH_LITERAL.search(alertmanager.read_text(encoding="utf-8"))
        if webhook:
            rows.append(
                Row(
                    "AlertManager",
                    SERVICES["notifications"],
                    "",
                    "",
                    f"webhook `{webhook.group(1)}` (tests/observability/test_alert_delivery.py)",
                )
            )
    dashboards = sorted((OBSERVABILITY / "grafana").glob("*.json"))
    if dashboards:
        evidence = f"{len(dashboards)} dashboards as code (infra/observability/dashboards.py)"
        rows.append(Row("Grafana", "All services", "", "", evidence))
    return rows


def infrastructure(rows: Iterable[Row]) -> list[Row]:
    """One row per (component, service): type and purpose, evidence, and the servers the
    profiles start for it (the ``protocol`` column holds the type)."""
    local = _local_servers()
    compose = _compose_servers()
    started: dict[str, list[str]] = defaultdict(list)
    for server in local:
        for component in SERVERS.get(server, ()):
            started[component].append(f"infra/local `{server}`")
    for server, image in compose.items():
        for component in SERVERS.get(server, ()):
            started[component].append(f"compose `{image}`")
    postgres = ROOT / "infra" / "local" / "postgres.sh"
    if "postgres" in local and "pg_basebackup" in postgres.read_text(encoding="utf-8"):
        started["PostgreSQL Read Replicas"].append("infra/local `postgres` (its replica)")
    if (MESH_OVERLAY / "kustomization.yaml").is_file():
        started["Service Mesh (Istio)"].append("the cluster's Istio, with infra/k8s/overlays/istio")
    distributed = (ROOT / "infra" / "distributed" / "up.sh").read_text(encoding="utf-8")
    for monitor, component in MONITORS.items():
        if (ROOT / "infra" / "local" / f"{monitor}.sh").is_file() and "$monitor.sh" in distributed:
            started[component].append(f"infra/distributed `{monitor}`")
    if (ROOT / "infra" / "k8s" / "base" / "observability").is_dir():
        started["Grafana"].append("ConfigMaps in infra/k8s `observability`")
    merged: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in rows:
        merged[(row.source, row.target)].append(row.evidence)
    out: list[Row] = []
    for (component, service), evidence in merged.items():
        kind, purpose = COMPONENTS.get(component, ("", ""))
        runs = ", ".join(started.get(component, [])) or "not started by infra/"
        out.append(
            Row(component, service, kind, purpose, _join(evidence, ", ") + f"; runs as {runs}")
        )
    return sorted(out)


def testing_rows() -> list[Row]:
    rows: list[Row] = []
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    dependencies = " ".join(
        [
            *project.get("project", {}).get("dependencies", []),
            *(
                d
                for group in project.get("project", {}).get("optional-dependencies", {}).values()
                for d in group
            ),
        ]
    ).lower()
    for folder, approach in TEST_SUITES.items():
        suite = ROOT / "tests" / folder
        if not suite.is_dir():
            continue
        files = sorted(p for p in suite.glob("*.py") if p.name != "__init__.py")
        tests = [p for p in files if p.name.startswith("test_")]
        name = approach
        pacts = sorted(PACTS.glob("*.json"))
        size = f"{len(tests)} test modules, {len(files) - len(tests)} other modules"
        if folder == "contract":
            # Pact: the library in the requirements and the pacts its tests verify.
            built = "pact" in dependencies and pacts
            name += " (Pact)" if built else " (HTTP and event contracts)"
            if built:
                size += f"; {len(pacts)} pacts in {_rel(PACTS)}"
        doc = next((d for p in (*tests, *files) if (d := _module_doc(p))), "")
        rows.append(Row(name, f"tests/{folder}", "", doc, size))
    return rows


def build() -> Tables:
    modules = _modules()
    routes = _routes(modules)
    external, adapter_infra = external_and_adapter_infra(modules)
    return Tables(
        services=_merge(
            [*rest_rows(modules, routes), *event_rows(modules), *websocket_rows(routes)]
        ),
        external=_merge(external),
        infrastructure=infrastructure(
            [*profile_infra_rows(modules), *adapter_infra, *mesh_rows(), *sdk_infra_rows()]
        ),
        testing=testing_rows(),
    )


# ---------------------------------------------------------------------------- the file


def _table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in row) + " |" for row in rows]
    return lines


def render(tables: Tables) -> str:
    lines = [
        "# CloudMastersHub - Service Integration Map (generated)",
        "",
        "Derived from the code by `make map` (`tests/contract/integration_map.py`); do not edit.",
        "`tests/contract/test_integration_map.py` fails when the code and this file disagree,",
        "and for any row of the seed's tables missing here that",
        "`contracts/integration-map-pending.toml` does not list with its reason.",
        "",
    ]
    for protocol, title in (
        ("REST", "Service-to-Service: REST"),
        ("Kafka Events", "Service-to-Service: Kafka Events"),
        ("WebSocket", "Service-to-Service: WebSocket"),
    ):
        lines += [f"## {title}", ""]
        lines += _table(
            ["Source Service", "Target Service", "Protocol", "Integration Purpose", "Evidence"],
            (
                (r.source, r.target, r.protocol, r.purpose, r.evidence)
                for r in tables.services
                if r.protocol == protocol
            ),
        )
        lines.append("")
    lines += ["## External Systems", ""]
    lines += _table(
        ["Consuming Service", "External System", "Protocol", "Purpose", "Evidence"],
        ((r.source, r.target, r.protocol, r.purpose, r.evidence) for r in tables.external),
    )
    lines += ["", "## Shared Infrastructure", ""]
    lines += _table(
        ["Component", "Used By", "Type", "Purpose", "Evidence"],
        ((r.source, r.target, r.protocol, r.purpose, r.evidence) for r in tables.infrastructure),
    )
    lines += ["", "## Integration Testing Approach", ""]
    lines += _table(
        ["Approach", "Suite", "What it checks", "Size"],
        ((r.source, r.target, r.purpose, r.evidence) for r in tables.testing),
    )
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str]) -> int:
    command = argv[0] if argv else "write"
    text = render(build())
    if command == "write":
        MAP_FILE.write_text(text, encoding="utf-8")
        print(f"wrote {_rel(MAP_FILE)}")
        return 0
    if command == "check":
        if MAP_FILE.read_text(encoding="utf-8") != text:
            print(f"{_rel(MAP_FILE)} is stale: run `make map`", file=sys.stderr)
            return 1
        return 0
    print("usage: python -m tests.contract.integration_map [write|check]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
