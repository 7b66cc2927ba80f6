"""A private distributed stack for tests that kill servers: its own Kafka broker (own ports
and state directory, started by ``infra/local/up.sh kafka``), its own users API, courses
API + worker and gateway (own ports), on the shared PostgreSQL, Redis and FerretDB with
databases of their own (or, with ``own_postgres``, on a PostgreSQL server of its own, which a
test may kill). With ``labs``: the labs API and worker too, on a moto server of their own.
With ``second_instances``: a second instance of each API behind the gateway, and one address
for both users instances that the other services call (``service_address``). Nothing
another test uses is ever stopped.

    async with private_stack(tmp_dir) as stack:
        stack.gateway            # http://127.0.0.1:<port>
        stack.kill_broker(); await stack.start_broker()
        stack.kill("courses-worker"); stack.start("courses-worker")

Every wait is bounded; leaving the block stops every process it started and drops its
databases.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from cmh.apps.labs.moto_operator import with_moto_operator
from cmh.apps.labs.settings import LabsServiceSettings, load_labs_settings
from cmh.gateway.domain.access import RouteClass
from cmh_testing.kernel.servers import (
    fresh_postgres_database,
    mongo_url,
    postgres_url,
    redis_url,
)
from tests.chaos.moto import moto_ready, start_moto
from tests.chaos.postgres import PrivatePostgres, private_postgres
from tests.chaos.process import START_TIMEOUT, die_with_parent, kill_group

ROOT = Path(__file__).resolve().parents[2]
ADMIN_EMAIL = "chaos-admin@cloudmastershub.dev"
ADMIN_PASSWORD = "chaos-admin-password-42"  # noqa: S105 - a throwaway account of this stack
# A Redis database of its own (the distributed profile uses 0-2).
REDIS_DB = 11

MODULES = {
    "users-api": "cmh.apps.users.main",
    "courses-api": "cmh.apps.courses.main",
    "courses-worker": "cmh.apps.courses.worker",
    "gateway": "cmh.apps.gateway.main",
    "labs-api": "cmh.apps.labs.main",
    "labs-worker": "cmh.apps.labs.worker",
}
# A worker serves health and metrics on its API's port + 1000.
WORKER_OF = {"courses-worker": "courses-api", "labs-worker": "labs-api"}
# With ``second_instances``: one more instance of each API behind the gateway, so that one
# can restart while the other serves (a rolling restart).
SECOND_INSTANCES = {
    "users-api-2": "users-api",
    "courses-api-2": "courses-api",
    "labs-api-2": "labs-api",
}


def module_of(name: str) -> str:
    return MODULES[SECOND_INSTANCES.get(name, name)]


def free_port(*, with_worker_port: bool = False) -> int:
    """A free loopback port (and port + 1000 free too, for an app whose worker uses it)."""
    for _ in range(200):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if not with_worker_port:
            return port
        if port + 1000 < 65536:
            with socket.socket() as sock, contextlib.suppress(OSError):
                sock.bind(("127.0.0.1", port + 1000))
                return port
    raise RuntimeError("no free port pair")


@dataclass
class Broker:
    port: int
    controller_port: int
    state: Path

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "CMH_KAFKA_PORT": str(self.port),
            "CMH_KAFKA_CONTROLLER_PORT": str(self.controller_port),
            "CMH_KAFKA_STATE": str(self.state),
        }

    def pid(self) -> int | None:
        with contextlib.suppress(OSError, ValueError):
            return int((self.state / "kafka.pid").read_text().strip())
        return None

    async def start(self) -> float:
        """``up.sh kafka`` for this broker; returns once it answers (seconds taken)."""
        started = time.monotonic()
        process = await asyncio.create_subprocess_exec(
            "bash",
            str(ROOT / "infra/local/up.sh"),
            "kafka",
            env=self.env(),
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        try:
            out, _ = await asyncio.wait_for(process.communicate(), START_TIMEOUT + 30)
        except TimeoutError:
            process.kill()
            raise
        if process.returncode != 0:
            raise RuntimeError(f"the private broker did not start:\n{out.decode()[-3000:]}")
        return time.monotonic() - started

    def kill(self) -> None:
        """SIGKILL, as a crash: no controlled shutdown."""
        if (pid := self.pid()) is not None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
            _wait_gone(pid)


def _wait_gone(pid: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.05)


@dataclass
class Stack:
    home: Path
    broker: Broker
    ports: dict[str, int]
    env: dict[str, dict[str, str]]
    users_db: str
    courses_db: str
    postgres: PrivatePostgres | None = None  # with ``own_postgres``: one a test may kill
    labs_db: str = ""  # with ``labs``: the labs API and worker, on a moto server of its own
    moto_url: str = ""
    # The labs settings with an operator of the test's own, made while the cloud is quiet
    # (moto's unchecked window is hard to get once the labs processes are busy).
    labs_settings: LabsServiceSettings | None = None
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    started_at: dict[str, float] = field(default_factory=dict)

    @property
    def gateway(self) -> str:
        return f"http://127.0.0.1:{self.ports['gateway']}"

    def url(self, name: str) -> str:
        port = self.ports[WORKER_OF[name]] + 1000 if name in WORKER_OF else self.ports[name]
        return f"http://127.0.0.1:{port}"

    def log(self, name: str) -> Path:
        return self.home / f"{name}.log"

    def start(self, name: str) -> None:
        handle = self.log(name).open("ab")
        self.processes[name] = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", module_of(name)],
            env=self.env[name],
            stdout=handle,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            start_new_session=True,
            preexec_fn=die_with_parent,
        )
        self.started_at[name] = time.monotonic()

    def kill(self, name: str) -> None:
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)

    async def terminate(self, name: str, timeout: float = 30.0) -> int:
        """SIGTERM, as a rolling restart or a scale-down sends it: the process finishes what
        it is doing and leaves by itself; returns its exit code."""
        process = self.processes.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        return await asyncio.to_thread(process.wait, timeout)

    def stop_all(self) -> None:
        for process in self.processes.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for name, process in list(self.processes.items()):
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(10)
            del self.processes[name]

    async def ready(self, name: str, timeout: float = START_TIMEOUT) -> dict[str, object]:
        """Waits for ``/health/ready`` to answer 200; returns its body."""
        deadline = time.monotonic() + timeout
        last = ""
        async with httpx.AsyncClient(timeout=3.0) as client:
            while time.monotonic() < deadline:
                process = self.processes.get(name)
                if process is not None and process.poll() is not None:
                    raise RuntimeError(f"{name} exited: {_tail(self.log(name))}")
                with contextlib.suppress(httpx.HTTPError):
                    response = await client.get(self.url(name) + "/health/ready")
                    last = response.text
                    if response.status_code == 200:
                        body: dict[str, object] = response.json()
                        return body
                await asyncio.sleep(0.1)
        raise TimeoutError(f"{name} not ready after {timeout}s: {last} {_tail(self.log(name))}")

    async def routed(self, timeout: float = START_TIMEOUT) -> None:
        """Until the gateway has both upstreams in rotation (its first readiness poll may
        have run before they answered)."""
        deadline = time.monotonic() + timeout
        async with httpx.AsyncClient(base_url=self.gateway, timeout=3.0) as client:
            while time.monotonic() < deadline:
                with contextlib.suppress(httpx.HTTPError):
                    catalog = await client.get("/api/v1/courses")
                    keys = await client.get("/.well-known/jwks.json")
                    if catalog.status_code == keys.status_code == 200:
                        return
                await asyncio.sleep(0.2)
        raise TimeoutError(f"the gateway routes to nothing after {timeout}s")


def progress(line: str) -> None:
    print(f"[chaos {time.strftime('%H:%M:%S')}] {line}", flush=True)


def _tail(path: Path, lines: int = 30) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


def _write_signing_key(path: Path) -> None:
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path.write_bytes(pem)
    path.chmod(0o600)


def _redis(db: int) -> str:
    return str(urlsplit(redis_url())._replace(path=f"/{db}").geturl())


def _environments(
    home: Path, broker: Broker, ports: dict[str, int], databases: Databases, moto_url: str
) -> dict[str, dict[str, str]]:
    """Each process's environment; a second API instance shares its first's but the port."""
    key = home / "users-signing.pem"
    _write_signing_key(key)
    secret = uuid.uuid4().hex
    # With a second instance, the services call users at one address for both (a
    # Kubernetes Service: tests/chaos/service_address.py), so one instance may die.
    users_url = f"http://127.0.0.1:{ports.get('users-service', ports['users-api'])}"
    # The users service's keys through the gateway, which balances over every users
    # instance (a Kubernetes Service does this there): any one may be restarting.
    jwks_url = f"http://127.0.0.1:{ports['gateway']}/.well-known/jwks.json"
    common = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(sys.path),
        "CMH_KAFKA__BOOTSTRAP_SERVERS": broker.bootstrap,
        "CMH_HTTP__HOST": "127.0.0.1",
        "CMH_HTTP__FORWARDED_ALLOW_IPS": "127.0.0.1",
        "CMH_LOG_LEVEL": "INFO",
        # Longer than the gateway's readiness poll (5 s): see cmh.kernel.web.serving.
        "CMH_HTTP__DRAIN_SECONDS": "6",
    }
    users = {
        **common,
        "CMH_DATABASE__URL": databases.users,
        "CMH_REDIS__URL": _redis(REDIS_DB),
        "CMH_HTTP__PORT": str(ports["users-api"]),
        "CMH_TOKENS__PRIVATE_KEY_FILE": str(key),
        "CMH_BOOTSTRAP_ADMIN__EMAIL": ADMIN_EMAIL,
        "CMH_BOOTSTRAP_ADMIN__PASSWORD": ADMIN_PASSWORD,
        "CMH_KAFKA__CLIENT_ID": "chaos-users",
    }
    courses = {
        **common,
        "CMH_DATABASE__URL": databases.courses,
        "CMH_REDIS__URL": _redis(REDIS_DB),
        "CMH_HTTP__PORT": str(ports["courses-api"]),
        "CMH_MONGO__URL": mongo_url(),
        "CMH_MONGO__DATABASE": f"chaos_{home.name}",
        "CMH_SERVICES__USERS_URL": users_url,
        "CMH_SERVICES__CONTENT_URL": "http://127.0.0.1:9",
        "CMH_JWKS_URL": jwks_url,
        "CMH_KAFKA__CLIENT_ID": "chaos-courses",
    }

    def instances(api: str) -> list[dict[str, str]]:
        names = [api, *(second for second, first in SECOND_INSTANCES.items() if first == api)]
        return [{"url": f"http://127.0.0.1:{ports[name]}"} for name in names if name in ports]

    upstreams = {"users": instances("users-api"), "courses": instances("courses-api")}
    routes = {
        "/api/v1/auth": "users",
        "/api/v1/users": "users",
        "/api/v1/admin": "users",
        "/.well-known/jwks.json": "users",
        "/api/v1/courses": "courses",
        "/api/v1/enrollments": "courses",
    }
    if "labs-api" in ports:
        upstreams["labs"] = instances("labs-api")
        routes["/api/v1/labs"] = "labs"
    gateway = {
        **common,
        "CMH_HTTP__PORT": str(ports["gateway"]),
        # Its own metrics listener too: the shared profile's gateway holds the default 9080.
        "CMH_METRICS_PORT": str(free_port()),
        "CMH_HTTP__FORWARDED_ALLOW_IPS": "",
        "CMH_RATE_LIMIT_STORE": "memory",
        "CMH_GATEWAY__UPSTREAMS": json.dumps(upstreams),
        "CMH_GATEWAY__ROUTES": json.dumps(routes),
        "CMH_GATEWAY__JWKS_URL": jwks_url,
        "CMH_HTTP__DRAIN_SECONDS": "0",  # the edge: nobody balances over it here
        "CMH_GATEWAY__PRINCIPAL_SECRET": secret,
        # The load is one client address: rate limits are not what this stack measures.
        **{
            f"CMH_GATEWAY__RATE_LIMITS__{bucket.value.upper()}__AMOUNT": "1000000"
            for bucket in RouteClass
        },
    }
    worker = {**courses, "CMH_KAFKA__GROUP_INSTANCE_ID": "courses-worker-0"}
    environments = {
        "users-api": users,
        "courses-api": courses,
        "courses-worker": worker,
        "gateway": gateway,
    }
    if "labs-api" in ports:
        labs = {
            **common,
            "CMH_DATABASE__URL": databases.labs,
            "CMH_HTTP__PORT": str(ports["labs-api"]),
            "CMH_KAFKA__CLIENT_ID": "chaos-labs",
            "CMH_USERS_URL": users_url,  # the learner's tier and lab hours
            "CMH_JWKS_URL": jwks_url,
            "CMH_TOKEN_STAMPS__URL": _redis(REDIS_DB),
            "CMH_LABS__AWS__ENDPOINT_URL": moto_url,
            "CMH_MOTO_OPERATOR": "true",
            "CMH_LABS__VAULT__KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
            # A killed worker's job comes back after this; a live one renews it at half.
            "CMH_LABS__JOBS__VISIBILITY_TIMEOUT_SECONDS": "8",
            "CMH_LABS__JOBS__WAIT_SECONDS": "1",
        }
        environments["labs-api"] = labs
        environments["labs-worker"] = labs
    for second, first in SECOND_INSTANCES.items():
        if second in ports:
            environments[second] = {**environments[first], "CMH_HTTP__PORT": str(ports[second])}
    return environments


def _service_address(ports: dict[str, int], home: Path) -> subprocess.Popen[bytes]:
    """One address for both users instances (``ports['users-service']``)."""
    instances = ",".join(f"127.0.0.1:{ports[name]}" for name in ("users-api", "users-api-2"))
    return subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "tests.chaos.service_address",
            "--port",
            str(ports["users-service"]),
            "--to",
            instances,
        ],
        stdout=(home / "users-service.log").open("ab"),
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        start_new_session=True,
        preexec_fn=die_with_parent,
    )


def _migrate(name: str, env: dict[str, str], log: Path) -> None:
    with log.open("ab") as handle:
        subprocess.run(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", module_of(name), "migrate"],
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            cwd=ROOT,
            check=True,
            timeout=START_TIMEOUT,
        )


@contextlib.contextmanager
def _mongo_database_dropped(name: str) -> Iterator[None]:
    try:
        yield
    finally:
        from pymongo import MongoClient

        with contextlib.suppress(Exception):
            client: MongoClient[dict[str, object]] = MongoClient(
                mongo_url(), serverSelectionTimeoutMS=3000
            )
            client.drop_database(name)
            client.close()


@dataclass(frozen=True)
class Databases:
    users: str
    courses: str
    labs: str = ""  # with ``labs``
    server: PrivatePostgres | None = None  # with ``own_postgres``


@contextlib.asynccontextmanager
async def _databases(home: Path, *, own_postgres: bool, labs: bool) -> AsyncIterator[Databases]:
    """Fresh databases on the shared PostgreSQL, or on a server of the stack's own that a
    test may kill."""
    names = ["chaos_users", "chaos_courses", *(["chaos_labs"] if labs else [])]
    if own_postgres:
        async with private_postgres(free_port(), home / "postgres.log") as server:
            await server.create_databases(*names)
            urls = [server.url(name) for name in names]
            yield Databases(urls[0], urls[1], urls[2] if labs else "", server)
        return
    async with contextlib.AsyncExitStack() as fresh:
        urls = [await fresh.enter_async_context(fresh_postgres_database(f"cmh_{n}")) for n in names]
        yield Databases(urls[0], urls[1], urls[2] if labs else "")


@contextlib.asynccontextmanager
async def private_stack(
    home: Path, *, second_instances: bool = False, own_postgres: bool = False, labs: bool = False
) -> AsyncIterator[Stack]:
    postgres_url()  # skip (laptop) or fail (CI) early when the shared servers are absent
    await asyncio.to_thread(home.mkdir, parents=True, exist_ok=True)
    broker = Broker(free_port(), free_port(), home / "kafka")
    ports = {
        "users-api": free_port(),
        "courses-api": free_port(with_worker_port=True),
        "gateway": free_port(),
    }
    moto_url = ""
    if labs:
        ports["labs-api"] = free_port(with_worker_port=True)
        moto_url = f"http://127.0.0.1:{free_port()}"
    if second_instances:
        ports.update(
            {name: free_port() for name, first in SECOND_INSTANCES.items() if first in ports}
        )
        ports["users-service"] = free_port()
    async with _databases(home, own_postgres=own_postgres, labs=labs) as databases:
        env = _environments(home, broker, ports, databases, moto_url)
        stack = Stack(
            home,
            broker,
            ports,
            env,
            databases.users,
            databases.courses,
            databases.server,
            databases.labs,
            moto_url,
        )
        moto = start_moto(int(urlsplit(moto_url).port or 0), home / "moto.log") if labs else None
        service = _service_address(ports, home) if "users-service" in ports else None
        with _mongo_database_dropped(f"chaos_{home.name}"):
            try:
                # In parallel: a 2-core machine spends most of this starting interpreters.
                await asyncio.gather(
                    broker.start(),
                    *(
                        asyncio.to_thread(_migrate, name, env[name], stack.log(name))
                        for name in ("users-api", "courses-api", "labs-api")
                        if name in env
                    ),
                    *([moto_ready(moto_url)] if labs else []),
                )
                if labs:
                    stack.labs_settings = await asyncio.to_thread(
                        with_moto_operator, load_labs_settings(env["labs-api"])
                    )
                progress(f"broker on {broker.bootstrap}, databases migrated")
                for name in stack.env:
                    stack.start(name)
                await asyncio.gather(*(stack.ready(name) for name in stack.env))
                await stack.routed()
                progress(f"stack ready: gateway {stack.gateway}")
                yield stack
            finally:
                stack.stop_all()
                broker.kill()
                for helper in (moto, service):
                    if helper is not None:
                        kill_group(helper)
