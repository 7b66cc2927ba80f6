"""A local Cloud Resource Manager (v3 ``projects``) that answers as Google's REST
reference documents.

Nothing emulates Resource Manager, so the GCP adapter's project calls are tested against
this: ``POST /v3/projects`` (an ``Operation``, done, whose ``response`` is the project;
409 ``ALREADY_EXISTS`` for a taken id, 400 ``INVALID_ARGUMENT`` for a bad id or label),
``GET /v3/projects/{id or number}`` (403 ``PERMISSION_DENIED`` for a project that does not
exist, as Google answers), ``GET /v3/projects:search?query=`` (terms ``labels.KEY:*``,
``labels.KEY:VALUE``, ``state:STATE``, all of them must hold), ``DELETE
/v3/projects/{id}`` (the project stays, ``DELETE_REQUESTED``, its id held), and
``GET /v3/operations/{name}``. Errors have Google's body:
``{"error": {"code", "message", "status"}}``. Plain HTTP on loopback: the client's REST
transport is told ``url_scheme="http"``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import re
import threading
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

_PROJECT_ID = re.compile(r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")
_LABEL_KEY = re.compile(r"^[a-z][a-z0-9_-]{0,62}$")
_LABEL_VALUE = re.compile(r"^[a-z0-9_-]{0,63}$")
_PROJECT_TYPE = "type.googleapis.com/google.cloud.resourcemanager.v3.Project"


class GoogleError(Exception):
    def __init__(self, status: HTTPStatus, reason: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.reason = reason


class ProjectsState:
    def __init__(self) -> None:
        self._projects: dict[str, dict[str, Any]] = {}
        self._operations: dict[str, dict[str, Any]] = {}
        self._numbers = itertools.count(100000000001)
        self._lock = threading.Lock()

    def _find(self, key: str) -> dict[str, Any]:
        for project in self._projects.values():
            if key in (project["projectId"], project["name"].split("/", 1)[1]):
                return project
        raise GoogleError(
            HTTPStatus.FORBIDDEN,
            "PERMISSION_DENIED",
            f"Permission denied on resource project {key} (or it may not exist).",
        )

    def _operation(self, kind: str, project: dict[str, Any]) -> dict[str, Any]:
        operation: dict[str, Any] = {
            "name": f"operations/{kind}.{len(self._operations) + 1}",
            "done": True,
            "response": {"@type": _PROJECT_TYPE, **project},
        }
        self._operations[operation["name"]] = operation
        return operation

    def create(self, body: dict[str, Any]) -> dict[str, Any]:
        project_id = str(body.get("projectId", ""))
        if not _PROJECT_ID.match(project_id):
            raise GoogleError(
                HTTPStatus.BAD_REQUEST,
                "INVALID_ARGUMENT",
                f"project_id '{project_id}' must be 6 to 30 lowercase letters, digits or "
                "hyphens, start with a letter and not end with a hyphen",
            )
        labels = body.get("labels") or {}
        for key, value in labels.items():
            if not (_LABEL_KEY.match(key) and _LABEL_VALUE.match(str(value))):
                raise GoogleError(
                    HTTPStatus.BAD_REQUEST, "INVALID_ARGUMENT", f"invalid label {key}={value}"
                )
        now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
        with self._lock:
            if project_id in self._projects:
                raise GoogleError(
                    HTTPStatus.CONFLICT,
                    "ALREADY_EXISTS",
                    "Requested entity already exists",
                )
            project = {
                "name": f"projects/{next(self._numbers)}",
                "projectId": project_id,
                "parent": body.get("parent", ""),
                "state": "ACTIVE",
                "displayName": body.get("displayName") or project_id,
                "createTime": now,
                "updateTime": now,
                "etag": f'W/"{project_id}-1"',
                "labels": dict(labels),
            }
            self._projects[project_id] = project
            return self._operation("cp", project)

    def get(self, key: str) -> dict[str, Any]:
        with self._lock:
            return dict(self._find(key))

    def search(self, query: str) -> dict[str, Any]:
        terms = query.split()

        def holds(project: dict[str, Any], term: str) -> bool:
            field_, _, value = term.partition(":")
            if field_.startswith("labels."):
                label = project["labels"].get(field_[len("labels.") :])
                return label is not None and (value == "*" or label == value)
            if field_ == "state":
                return bool(project["state"] == value)
            if field_ in ("id", "projectId"):
                return bool(project["projectId"] == value)
            raise GoogleError(
                HTTPStatus.BAD_REQUEST, "INVALID_ARGUMENT", f"unsupported query term {term}"
            )

        with self._lock:
            found = [dict(p) for p in self._projects.values() if all(holds(p, t) for t in terms)]
        return {"projects": found} if found else {}

    def delete(self, key: str) -> dict[str, Any]:
        with self._lock:
            project = self._find(key)
            if project["state"] != "ACTIVE":
                raise GoogleError(
                    HTTPStatus.BAD_REQUEST,
                    "FAILED_PRECONDITION",
                    f"Project {project['projectId']} is not active.",
                )
            project["state"] = "DELETE_REQUESTED"
            project["deleteTime"] = datetime.now(UTC).isoformat().replace("+00:00", "Z")
            return self._operation("dp", project)

    def operation(self, name: str) -> dict[str, Any]:
        with self._lock:
            operation = self._operations.get(name)
        if operation is None:
            raise GoogleError(HTTPStatus.NOT_FOUND, "NOT_FOUND", f"No operation {name}.")
        return operation


class _Handler(BaseHTTPRequestHandler):
    server: _ProjectsHttpServer

    def log_message(self, format: str, *args: Any) -> None:
        return

    def _send(self, status: HTTPStatus, body: dict[str, Any]) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _handle(self) -> None:
        url = urlsplit(self.path)
        path = unquote(url.path)
        state = self.server.state
        try:
            if self.command == "POST" and path == "/v3/projects":
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                self._send(HTTPStatus.OK, state.create(body))
            elif self.command == "GET" and path == "/v3/projects:search":
                query = parse_qs(url.query).get("query", [""])[0]
                self._send(HTTPStatus.OK, state.search(query))
            elif self.command == "GET" and path.startswith("/v3/projects/"):
                self._send(HTTPStatus.OK, state.get(path.removeprefix("/v3/projects/")))
            elif self.command == "DELETE" and path.startswith("/v3/projects/"):
                self._send(HTTPStatus.OK, state.delete(path.removeprefix("/v3/projects/")))
            elif self.command == "GET" and path.startswith("/v3/operations/"):
                self._send(HTTPStatus.OK, state.operation(path.removeprefix("/v3/")))
            else:
                raise GoogleError(HTTPStatus.NOT_FOUND, "NOT_FOUND", f"No route {path}.")
        except GoogleError as error:
            self._send(
                error.status,
                {
                    "error": {
                        "code": int(error.status),
                        "message": str(error),
                        "status": error.reason,
                    }
                },
            )
        except json.JSONDecodeError as error:
            self._send(
                HTTPStatus.BAD_REQUEST,
                {"error": {"code": 400, "message": str(error), "status": "INVALID_ARGUMENT"}},
            )

    do_GET = do_POST = do_DELETE = do_PATCH = _handle


class _ProjectsHttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], state: ProjectsState) -> None:
        super().__init__(address, _Handler)
        self.state = state


class FakeResourceManager:
    """The fake on a free loopback port (``port=0``), served from a thread while open."""

    def __init__(self, port: int = 0) -> None:
        self.state = ProjectsState()
        self._server = _ProjectsHttpServer(("127.0.0.1", port), self.state)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> FakeResourceManager:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def serve_forever(self) -> None:
        self._server.serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    fake = FakeResourceManager(args.port)
    print(f"fake Resource Manager listening on {fake.endpoint}", flush=True)
    fake.serve_forever()


if __name__ == "__main__":
    main()
