"""Settings of the GCP lab adapter (``CMH_LABS__GCP__*``)."""

from __future__ import annotations

import msgspec


class GcpLabSettings(msgspec.Struct, frozen=True):
    """Where the session projects are made and where Cloud Storage answers.

    Without a ``parent`` (``organizations/N`` or ``folders/N``) the process has no GCP
    adapter (the simulator serves GCP labs). ``storage_endpoint`` and
    ``resource_manager_endpoint`` are set for local servers (fake-gcs-server, a local
    Resource Manager; ``http://`` is spoken as plain HTTP) and empty for Google itself;
    ``anonymous`` sends no credentials (emulators), else Application Default Credentials
    are used.
    """

    parent: str | None = None
    storage_endpoint: str | None = None
    resource_manager_endpoint: str | None = None
    anonymous: bool = False
