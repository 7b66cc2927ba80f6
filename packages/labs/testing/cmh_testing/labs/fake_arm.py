"""A local Azure Resource Manager that answers as its REST reference documents, over TLS.

Nothing emulates ARM, so the Azure adapter's tests run against this: one subscription,
resource groups (create or update, get, existence check, list with a ``tagName`` /
``tagValue`` filter, delete as a long-running operation answered 202 with a ``Location``
to poll), resources by id (generic PUT / GET / DELETE, ``list`` per group of the top-level
ones, child resources needing their parent), storage accounts whose names are global
(``StorageAccountAlreadyTaken``) and whose keys ``listKeys`` gives (those of the Azurite
accounts the data plane has), virtual machines created running with ``start`` /
``deallocate`` actions and an ``instanceView``. Every request needs the bearer token the
server was made with. Errors have ARM's body: ``{"error": {"code", "message"}}``.

Run it in a test (``with FakeArm(tls, token) as arm``) or as a process:
``python -m cmh_testing.labs.fake_arm --port P --tls-dir D --token T``.
"""

from __future__ import annotations

import argparse
import json
import re
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from cmh_testing.labs.local_tls import LocalTls, existing_local_tls, make_local_tls

STORAGE_ACCOUNT = "microsoft.storage/storageaccounts"
VIRTUAL_MACHINE = "microsoft.compute/virtualmachines"
_GROUP_PATH = re.compile(r"^/subscriptions/([^/]+)/resourcegroups/([^/]+)$", re.IGNORECASE)
_GROUPS_PATH = re.compile(r"^/subscriptions/([^/]+)/resourcegroups$", re.IGNORECASE)
_GROUP_RESOURCES = re.compile(
    r"^/subscriptions/([^/]+)/resourcegroups/([^/]+)/resources$", re.IGNORECASE
)
_OPERATION = re.compile(r"^/subscriptions/([^/]+)/operationresults/([^/]+)$", re.IGNORECASE)
_RESOURCE = re.compile(
    r"^/subscriptions/([^/]+)/resourcegroups/([^/]+)/providers/([^/]+)/(.+)$", re.IGNORECASE
)
_TAG_FILTER = re.compile(r"^tagName eq '([^']*)'(?: and tagValue eq '([^']*)')?$", re.IGNORECASE)


class ArmError(Exception):
    def __init__(self, status: HTTPStatus, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass
class _Resource:
    id: str
    name: str
    type: str
    location: str
    tags: dict[str, str]
    properties: dict[str, Any]
    power_state: str = "running"

    def body(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.type,
            "location": self.location,
            "tags": self.tags,
            "properties": self.properties | {"provisioningState": "Succeeded"},
        }


@dataclass
class _Group:
    id: str
    name: str
    location: str
    tags: dict[str, str]
    deleting: bool = False
    # Keyed by the lowercased path below the group ("microsoft.network/virtualnetworks/x").
    resources: dict[str, _Resource] = field(default_factory=dict)

    def body(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": "Microsoft.Resources/resourceGroups",
            "location": self.location,
            "tags": self.tags,
            "properties": {"provisioningState": "Deleting" if self.deleting else "Succeeded"},
        }


@dataclass(frozen=True)
class _Answer:
    status: HTTPStatus
    body: Any = None
    headers: Mapping[str, str] = field(default_factory=dict)


class ArmState:
    """One subscription's groups and resources, and the group deletions under way."""

    def __init__(
        self, subscription_id: str, storage_keys: Mapping[str, str], blob_endpoint: str
    ) -> None:
        self.subscription_id = subscription_id
        self._storage_keys = {name.lower(): key for name, key in storage_keys.items()}
        self._blob_endpoint = blob_endpoint
        self._groups: dict[str, _Group] = {}
        # Operation id -> (group name, polls left before it completes).
        self._deletions: dict[str, list[Any]] = {}
        self._lock = threading.RLock()

    def _group(self, name: str) -> _Group:
        group = self._groups.get(name.lower())
        if group is None:
            raise ArmError(
                HTTPStatus.NOT_FOUND,
                "ResourceGroupNotFound",
                f"Resource group '{name}' could not be found.",
            )
        return group

    # --- resource groups ------------------------------------------------------------

    def put_group(self, name: str, body: dict[str, Any]) -> _Answer:
        location = body.get("location")
        if not location:
            raise ArmError(HTTPStatus.BAD_REQUEST, "LocationRequired", "The location is required.")
        with self._lock:
            group = self._groups.get(name.lower())
            if group is not None and group.deleting:
                raise ArmError(
                    HTTPStatus.CONFLICT,
                    "ResourceGroupBeingDeleted",
                    f"The resource group '{name}' is in deprovisioning state.",
                )
            if group is None:
                group = _Group(
                    f"/subscriptions/{self.subscription_id}/resourceGroups/{name}",
                    name,
                    location,
                    dict(body.get("tags") or {}),
                )
                self._groups[name.lower()] = group
                return _Answer(HTTPStatus.CREATED, group.body())
            group.tags = dict(body.get("tags") or {})
            return _Answer(HTTPStatus.OK, group.body())

    def get_group(self, name: str) -> _Answer:
        with self._lock:
            return _Answer(HTTPStatus.OK, self._group(name).body())

    def list_groups(self, filter_: str | None) -> _Answer:
        tag_name = tag_value = None
        if filter_:
            match = _TAG_FILTER.match(filter_.strip())
            if match is None:
                raise ArmError(
                    HTTPStatus.BAD_REQUEST, "InvalidFilter", f"Unsupported $filter '{filter_}'."
                )
            tag_name, tag_value = match.group(1), match.group(2)
        with self._lock:
            groups = [
                group.body()
                for group in self._groups.values()
                if tag_name is None
                or (
                    tag_name in group.tags
                    and (tag_value is None or group.tags[tag_name] == tag_value)
                )
            ]
        return _Answer(HTTPStatus.OK, {"value": groups})

    def delete_group(self, name: str, host: str) -> _Answer:
        with self._lock:
            group = self._group(name)
            group.deleting = True
            operation = uuid.uuid4().hex
            # The first poll finds the deletion running, the second finds it done.
            self._deletions[operation] = [group.name, 1]
        location = (
            f"https://{host}/subscriptions/{self.subscription_id}/operationresults/"
            f"{operation}?api-version=2025-04-01"
        )
        return _Answer(HTTPStatus.ACCEPTED, None, {"Location": location, "Retry-After": "0"})

    def poll_operation(self, operation: str, host: str) -> _Answer:
        with self._lock:
            state = self._deletions.get(operation)
            if state is None:
                raise ArmError(HTTPStatus.NOT_FOUND, "OperationNotFound", "No such operation.")
            if state[1] > 0:
                state[1] -= 1
                location = (
                    f"https://{host}/subscriptions/{self.subscription_id}/operationresults/"
                    f"{operation}?api-version=2025-04-01"
                )
                return _Answer(
                    HTTPStatus.ACCEPTED, None, {"Location": location, "Retry-After": "0"}
                )
            self._groups.pop(state[0].lower(), None)
            del self._deletions[operation]
            return _Answer(HTTPStatus.OK, None)

    def group_resources(self, name: str) -> _Answer:
        with self._lock:
            group = self._group(name)
            top_level = [
                resource.body()
                for resource in group.resources.values()
                if resource.type.count("/") == 1
            ]
        return _Answer(HTTPStatus.OK, {"value": top_level})

    # --- resources by id --------------------------------------------------------------

    def _existing(self, group: _Group, path: str) -> _Resource:
        resource = group.resources.get(path.lower())
        if resource is None:
            raise ArmError(
                HTTPStatus.NOT_FOUND,
                "ResourceNotFound",
                f"The Resource '{path}' under resource group '{group.name}' was not found.",
            )
        return resource

    def _storage_name_free(self, name: str, group: _Group) -> None:
        if self._storage_keys and name.lower() not in self._storage_keys:
            raise ArmError(
                HTTPStatus.CONFLICT,
                "StorageAccountAlreadyTaken",
                f"The storage account named {name} is already taken.",
            )
        for other in self._groups.values():
            if other is group:
                continue
            if any(
                r.type.lower() == STORAGE_ACCOUNT and r.name.lower() == name.lower()
                for r in other.resources.values()
            ):
                raise ArmError(
                    HTTPStatus.CONFLICT,
                    "StorageAccountAlreadyTaken",
                    f"The storage account named {name} is already taken.",
                )

    def put_resource(self, group_name: str, path: str, body: dict[str, Any]) -> _Answer:
        segments = path.split("/")
        namespace, rest = segments[0], segments[1:]
        if len(rest) % 2:
            raise ArmError(HTTPStatus.BAD_REQUEST, "InvalidResourceId", f"Bad id '{path}'.")
        type_ = "/".join([namespace, *rest[0::2]])
        name = "/".join(rest[1::2])
        with self._lock:
            group = self._group(group_name)
            if group.deleting:
                raise ArmError(
                    HTTPStatus.CONFLICT,
                    "ResourceGroupBeingDeleted",
                    f"The resource group '{group.name}' is in deprovisioning state.",
                )
            if len(rest) > 2:
                parent = "/".join([namespace, *rest[:-2]])
                if parent.lower() not in group.resources:
                    raise ArmError(
                        HTTPStatus.NOT_FOUND,
                        "ParentResourceNotFound",
                        f"Can not perform requested operation on nested resource. "
                        f"Parent resource '{rest[-3]}' not found.",
                    )
            existing = group.resources.get(path.lower())
            properties = dict(body.get("properties") or {})
            properties.pop("provisioningState", None)
            if type_.lower() == STORAGE_ACCOUNT:
                self._storage_name_free(name, group)
                properties["primaryEndpoints"] = {"blob": self._blob_endpoint.format(account=name)}
            location = body.get("location") or (existing.location if existing else "")
            if existing is not None:
                existing.tags = dict(body.get("tags") or {})
                existing.properties = properties
                return _Answer(HTTPStatus.OK, existing.body())
            resource = _Resource(
                f"{group.id}/providers/{path}",
                rest[-1],
                type_,
                location or group.location,
                dict(body.get("tags") or {}),
                properties,
            )
            group.resources[path.lower()] = resource
            return _Answer(HTTPStatus.CREATED, resource.body())

    def get_resource(self, group_name: str, path: str) -> _Answer:
        with self._lock:
            return _Answer(HTTPStatus.OK, self._existing(self._group(group_name), path).body())

    def delete_resource(self, group_name: str, path: str) -> _Answer:
        with self._lock:
            group = self._group(group_name)
            if path.lower() not in group.resources:
                return _Answer(HTTPStatus.NO_CONTENT)
            # Deleting a resource deletes its child resources with it.
            for key in [
                k for k in group.resources if k == path.lower() or k.startswith(path.lower() + "/")
            ]:
                del group.resources[key]
            return _Answer(HTTPStatus.OK)

    def action(self, group_name: str, path: str, action: str) -> _Answer:
        with self._lock:
            resource = self._existing(self._group(group_name), path)
            kind = resource.type.lower()
            if kind == STORAGE_ACCOUNT and action == "listkeys":
                key = self._storage_keys.get(resource.name.lower(), "")
                return _Answer(
                    HTTPStatus.OK,
                    {"keys": [{"keyName": "key1", "value": key, "permissions": "FULL"}]},
                )
            if kind == VIRTUAL_MACHINE and action in ("start", "deallocate", "poweroff"):
                resource.power_state = {"start": "running", "deallocate": "deallocated"}.get(
                    action, "stopped"
                )
                return _Answer(HTTPStatus.OK)
            raise ArmError(
                HTTPStatus.BAD_REQUEST, "InvalidAction", f"No action '{action}' on {kind}."
            )

    def instance_view(self, group_name: str, path: str) -> _Answer:
        with self._lock:
            resource = self._existing(self._group(group_name), path)
            return _Answer(
                HTTPStatus.OK,
                {
                    "statuses": [
                        {"code": "ProvisioningState/succeeded"},
                        {"code": f"PowerState/{resource.power_state}"},
                    ]
                },
            )


class _Handler(BaseHTTPRequestHandler):
    server: _ArmHttpServer

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(self, answer: _Answer) -> None:
        payload = b"" if answer.body is None else json.dumps(answer.body).encode()
        self.send_response(answer.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        self.send_header("x-ms-request-id", str(uuid.uuid4()))
        for key, value in answer.headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _error(self, status: HTTPStatus, code: str, message: str) -> None:
        self._send(_Answer(status, {"error": {"code": code, "message": message}}))

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        if not length:
            return {}
        parsed = json.loads(self.rfile.read(length))
        return parsed if isinstance(parsed, dict) else {}

    def _handle(self) -> None:
        if self.headers.get("Authorization") != f"Bearer {self.server.token}":
            self._error(
                HTTPStatus.UNAUTHORIZED,
                "InvalidAuthenticationToken",
                "The access token is invalid.",
            )
            return
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if "api-version" not in query:
            self._error(
                HTTPStatus.BAD_REQUEST,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            )
            return
        try:
            self._send(self._route(url.path.rstrip("/"), query))
        except ArmError as error:
            self._error(error.status, error.code, str(error))
        except json.JSONDecodeError as error:
            self._error(HTTPStatus.BAD_REQUEST, "InvalidRequestContent", str(error))

    def _route(self, path: str, query: dict[str, list[str]]) -> _Answer:
        state = self.server.state
        host = self.headers.get("Host", "127.0.0.1")
        method = self.command
        if (match := _GROUPS_PATH.match(path)) and method == "GET":
            return state.list_groups(query.get("$filter", [None])[0])
        if match := _GROUP_PATH.match(path):
            name = match.group(2)
            if method == "PUT":
                return state.put_group(name, self._body())
            if method == "GET":
                return state.get_group(name)
            if method == "HEAD":
                try:
                    state.get_group(name)
                except ArmError:
                    return _Answer(HTTPStatus.NOT_FOUND)
                return _Answer(HTTPStatus.NO_CONTENT)
            if method == "DELETE":
                return state.delete_group(name, host)
        if (match := _GROUP_RESOURCES.match(path)) and method == "GET":
            return state.group_resources(match.group(2))
        if (match := _OPERATION.match(path)) and method == "GET":
            return state.poll_operation(match.group(2), host)
        if match := _RESOURCE.match(path):
            group, resource_path = match.group(2), f"{match.group(3)}/{match.group(4)}"
            segments = resource_path.split("/")
            if method == "POST" and len(segments) % 2 == 0:
                return state.action(group, "/".join(segments[:-1]), segments[-1].lower())
            if method == "GET" and segments[-1].lower() == "instanceview":
                return state.instance_view(group, "/".join(segments[:-1]))
            if method == "PUT":
                return state.put_resource(group, resource_path, self._body())
            if method == "GET":
                return state.get_resource(group, resource_path)
            if method == "DELETE":
                return state.delete_resource(group, resource_path)
        raise ArmError(HTTPStatus.NOT_FOUND, "NoRegisteredProviderFound", f"No route {path}.")

    do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = do_PATCH = _handle


class _ArmHttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: ArmState, token: str) -> None:
        super().__init__(address, _Handler)
        self.state = state
        self.token = token


class FakeArm:
    """The fake on a free loopback port (``port=0``), served from a thread while open."""

    def __init__(
        self,
        tls: LocalTls,
        token: str,
        *,
        subscription_id: str = "00000000-0000-4000-8000-00000000c0de",
        storage_keys: Mapping[str, str] | None = None,
        blob_endpoint: str = "https://{account}.blob.core.windows.net/",
        port: int = 0,
    ) -> None:
        self.state = ArmState(subscription_id, storage_keys or {}, blob_endpoint)
        self._server = _ArmHttpServer(("127.0.0.1", port), self.state, token)
        context = tls.server_context()
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self.ca_file = tls.ca_file

    @property
    def endpoint(self) -> str:
        return f"https://127.0.0.1:{self._server.server_address[1]}"

    @property
    def subscription_id(self) -> str:
        return self.state.subscription_id

    def __enter__(self) -> FakeArm:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def serve_forever(self) -> None:
        self._server.serve_forever()


def parse_azurite_accounts(value: str) -> dict[str, str]:
    """Azurite's ``AZURITE_ACCOUNTS`` format: ``name:key1[:key2];name:key1...``."""
    accounts = {}
    for entry in filter(None, value.split(";")):
        name, key, *_ = entry.split(":")
        accounts[name] = key
    return accounts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tls-dir", type=Path, required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--subscription", default="00000000-0000-4000-8000-00000000c0de")
    parser.add_argument("--azurite-accounts", default="")
    parser.add_argument("--blob-endpoint", default="https://{account}.blob.core.windows.net/")
    args = parser.parse_args()
    # Kept across restarts, so that the clients' CA file stays the one that signs.
    tls = existing_local_tls(args.tls_dir, timedelta(days=1)) or make_local_tls(
        args.tls_dir, lifetime=timedelta(days=30)
    )
    arm = FakeArm(
        tls,
        args.token,
        subscription_id=args.subscription,
        storage_keys=parse_azurite_accounts(args.azurite_accounts),
        blob_endpoint=args.blob_endpoint,
        port=args.port,
    )
    print(f"fake ARM listening on {arm.endpoint} (CA: {tls.ca_file})", flush=True)
    arm.serve_forever()


if __name__ == "__main__":
    main()
