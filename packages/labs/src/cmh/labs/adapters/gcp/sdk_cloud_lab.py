"""The ``CloudLab`` port on GCP through Google's SDKs: one project per lab session,
labelled ``cmh-session``, made and deleted through Resource Manager v3
(``google-cloud-resource-manager``); the template's buckets are Cloud Storage buckets of
that project (``google-cloud-storage``), labelled too.

A session's buckets are those Cloud Storage lists for its project. fake-gcs-server keeps
neither projects nor labels and lists every bucket, so against a local endpoint a session's
buckets are those carrying its label or ending with its suffix (``-`` and 16 hex digits of
the session id), which the platform's buckets have and a learner's must have there.

Only buckets: Compute Engine and IAM have no local stand-in, so a template with a network
or an instance is refused, and no learner key is issued (the learner's credentials name
the project; fake-gcs-server checks none). A deleted project is held
(``DELETE_REQUESTED``) for 30 days and lists nothing.

The SDK clients block, so every operation runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Collection
from datetime import UTC, datetime
from typing import Any

from google.api_core import exceptions as google
from google.cloud import resourcemanager_v3
from google.cloud.storage import Client as StorageClient

from cmh.kernel.errors import Conflict, InvalidInput
from cmh.labs.adapters.gcp.clients import projects_client, storage_client
from cmh.labs.adapters.gcp.labels import RESOURCE_LABEL, SESSION_LABEL, label_value, tags_of_labels
from cmh.labs.adapters.gcp.settings import GcpLabSettings
from cmh.labs.application.ports import LabCredentials, ProvisionedLab
from cmh.labs.domain.checks import SESSION_TAG, Inventory, ObservedResource
from cmh.labs.domain.template import BucketSpec, LabTemplate

_OPERATION_SECONDS = 300
_ACTIVE = resourcemanager_v3.Project.State.ACTIVE


def _finished(operation: Any) -> Any:
    """A long-running operation's result (google-api-core's ``Operation`` is untyped)."""
    return operation.result(timeout=_OPERATION_SECONDS)


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()[:16]


def project_id(session_id: str) -> str:
    """6 to 30 lowercase letters, digits and hyphens, starting with a letter."""
    return f"cmh-lab-{_digest(session_id)}"


def bucket_suffix(session_id: str) -> str:
    """What every bucket of the session ends with (the learner's too)."""
    return f"-{_digest(session_id)}"


def bucket_name(session_id: str, spec: BucketSpec, index: int) -> str:
    # A template's prefix is at most 40 characters: the name stays within GCS's 63.
    return f"{spec.name_prefix}{index}{bucket_suffix(session_id)}"


class GcpCloudLab:
    def __init__(
        self,
        settings: GcpLabSettings,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if not settings.parent:
            raise ValueError("GcpCloudLab needs CMH_LABS__GCP__PARENT")
        self._settings = settings
        self._parent = settings.parent
        self._clock = clock
        self._storage = storage_client(settings)
        self._projects: resourcemanager_v3.ProjectsClient = projects_client(settings)

    @property
    def projects(self) -> resourcemanager_v3.ProjectsClient:
        return self._projects

    @property
    def storage(self) -> StorageClient:
        return self._storage

    def _project(self, session_id: str) -> resourcemanager_v3.Project | None:
        try:
            project: resourcemanager_v3.Project = self._projects.get_project(
                name=f"projects/{project_id(session_id)}"
            )
        except (google.Forbidden, google.NotFound):
            # Google answers 403 for a project that does not exist, as for one not ours.
            return None
        return project

    def _create_project(self, session_id: str) -> resourcemanager_v3.Project:
        project = resourcemanager_v3.Project(
            project_id=project_id(session_id),
            parent=self._parent,
            display_name="CMH lab",
            labels={SESSION_LABEL: label_value(session_id)},
        )
        try:
            operation = self._projects.create_project(project=project)
            created: resourcemanager_v3.Project = _finished(operation)
        except google.Conflict:
            # Made by an earlier attempt whose answer was lost.
            existing = self._project(session_id)
            if existing is None:
                raise
            return existing
        return created

    def _labels(self, session_id: str, resource: str) -> dict[str, str]:
        return {SESSION_LABEL: label_value(session_id), RESOURCE_LABEL: resource}

    def _create_bucket(self, session_id: str, spec: BucketSpec, index: int, region: str) -> None:
        bucket = self._storage.bucket(bucket_name(session_id, spec, index))
        bucket.labels = self._labels(session_id, f"bucket-{index}")
        bucket.versioning_enabled = spec.versioning
        try:
            self._storage.create_bucket(bucket, project=project_id(session_id), location=region)
        except google.Conflict:
            return  # ours: the name carries the session's suffix

    def _provision(self, session_id: str, template: LabTemplate, region: str) -> ProvisionedLab:
        if any(not isinstance(spec, BucketSpec) for spec in template.resources):
            raise InvalidInput(
                "GCP labs hold Cloud Storage buckets only: networks and instances need "
                "Compute Engine, which this platform does not provision on GCP",
                code="lab_resource_unsupported",
                field="resources",
            )
        project = self._project(session_id) or self._create_project(session_id)
        if project.state != _ACTIVE:
            raise Conflict(
                f"the project of lab session {session_id} is being deleted",
                code="lab_environment_deleted",
            )
        for index, spec in enumerate(template.resources):
            if isinstance(spec, BucketSpec):
                self._create_bucket(session_id, spec, index, region)
        project_name = project_id(session_id)
        return ProvisionedLab(
            account_id=project_name,
            region=region,
            endpoint=self._settings.storage_endpoint,
            console_url=None
            if self._settings.storage_endpoint
            else f"https://console.cloud.google.com/storage/browser?project={project_name}",
            credentials=LabCredentials(
                access_key_id=project_name,
                secret_access_key="",
                session_token="",
                expires_at=self._clock() + template.time_limit + template.max_extension,
            ),
        )

    async def provision(
        self, session_id: str, template: LabTemplate, region: str
    ) -> ProvisionedLab:
        return await asyncio.to_thread(self._provision, session_id, template, region)

    def _buckets(self, session_id: str) -> list[Any]:
        listed = list(self._storage.list_buckets(project=project_id(session_id)))
        if not self._settings.storage_endpoint:
            return listed  # Google's listing is the project's
        label, suffix = label_value(session_id), bucket_suffix(session_id)
        return [
            bucket
            for bucket in listed
            if (bucket.labels or {}).get(SESSION_LABEL) == label or bucket.name.endswith(suffix)
        ]

    def _observed_buckets(self, session_id: str) -> tuple[ObservedResource, ...]:
        return tuple(
            ObservedResource(
                "bucket",
                bucket.name,
                str(bucket.location or "").lower(),
                {SESSION_TAG: session_id} | tags_of_labels(dict(bucket.labels or {})),
                {"versioning": bool(bucket.versioning_enabled)},
            )
            for bucket in self._buckets(session_id)
        )

    def _live_project(self, session_id: str) -> resourcemanager_v3.Project | None:
        project = self._project(session_id)
        return project if project is not None and project.state == _ACTIVE else None

    def _observe(self, session_id: str) -> Inventory:
        if self._live_project(session_id) is None:
            return Inventory((), None)
        return Inventory(self._observed_buckets(session_id), None)

    async def observe(self, session_id: str) -> Inventory:
        return await asyncio.to_thread(self._observe, session_id)

    def _inventory(self, session_id: str) -> tuple[ObservedResource, ...]:
        project = self._live_project(session_id)
        if project is None:
            return ()
        # The live project itself is something left: it has to be deleted.
        itself = ObservedResource(
            "project", project.project_id, "global", tags_of_labels(dict(project.labels))
        )
        return (itself, *self._observed_buckets(session_id))

    async def inventory(self, session_id: str) -> tuple[ObservedResource, ...]:
        return await asyncio.to_thread(self._inventory, session_id)

    def _empty_and_delete(self, bucket: Any) -> None:
        # Every generation, so that a versioned bucket can go too.
        for blob in self._storage.list_blobs(bucket.name, versions=True):
            try:
                bucket.delete_blob(blob.name, generation=blob.generation)
            except google.NotFound:
                continue
        try:
            bucket.delete()
        except google.NotFound:
            return

    def _tear_down(self, session_id: str) -> None:
        if self._live_project(session_id) is None:
            return
        for bucket in self._buckets(session_id):
            self._empty_and_delete(bucket)
        try:
            _finished(self._projects.delete_project(name=f"projects/{project_id(session_id)}"))
        except google.FailedPrecondition:
            return  # deleted meanwhile

    async def tear_down(self, session_id: str) -> None:
        await asyncio.to_thread(self._tear_down, session_id)

    def _orphans(self, active_session_ids: Collection[str]) -> list[str]:
        active = set(active_session_ids)
        found = []
        for project in self._projects.search_projects(
            query=f"labels.{SESSION_LABEL}:* state:ACTIVE"
        ):
            session_id = tags_of_labels(dict(project.labels)).get(SESSION_TAG)
            if session_id is not None and session_id not in active:
                found.append(session_id)
        return found

    async def orphans(self, active_session_ids: Collection[str]) -> list[str]:
        """Inactive sessions whose project is still live (an empty one still has to be
        deleted)."""
        return await asyncio.to_thread(self._orphans, active_session_ids)
