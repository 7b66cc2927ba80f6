"""Google's clients for the GCP lab adapter, pointed where its settings say."""

from __future__ import annotations

from urllib.parse import urlsplit

from google.auth.credentials import AnonymousCredentials, Credentials
from google.cloud import resourcemanager_v3
from google.cloud.resourcemanager_v3.services.projects.transports.rest import (
    ProjectsRestTransport,
)
from google.cloud.storage import Client as StorageClient

from cmh.labs.adapters.gcp.settings import GcpLabSettings


def _credentials(settings: GcpLabSettings) -> Credentials | None:
    # None: the clients find Application Default Credentials themselves.
    return AnonymousCredentials() if settings.anonymous else None  # type: ignore[no-untyped-call]


def storage_client(settings: GcpLabSettings) -> StorageClient:
    options = {"api_endpoint": settings.storage_endpoint} if settings.storage_endpoint else None
    # Every call names its project; the client's own is only a default it never uses.
    return StorageClient(
        project="cmh-labs-operator", credentials=_credentials(settings), client_options=options
    )


def projects_client(settings: GcpLabSettings) -> resourcemanager_v3.ProjectsClient:
    credentials = _credentials(settings)
    if not settings.resource_manager_endpoint:
        return resourcemanager_v3.ProjectsClient(credentials=credentials)
    endpoint = urlsplit(settings.resource_manager_endpoint)
    transport = ProjectsRestTransport(
        host=endpoint.netloc, credentials=credentials, url_scheme=endpoint.scheme or "https"
    )
    return resourcemanager_v3.ProjectsClient(transport=transport)
