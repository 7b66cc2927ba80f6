"""A local simulator of Google Cloud projects, for the embedded profile.

It answers in memory the way GCP behaves where a lab depends on it: projects carrying
labels, Cloud Storage buckets with one global namespace, VPC networks, Compute Engine
instances in a zone, and a service account whose key is bound to one project with an
expiry and a resource-location constraint. Resource names have GCP's self-link shape
(``projects/<project>/global/networks/<name>``).

The platform's calls (``GcpOrganization``) are those of its operator; a learner acts
through ``learner(service_account, key)``, which checks the key as Google would.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from cmh.labs.adapters.gcp.labels import is_valid_label


class GcpError(Exception):
    """A Google API error answer: ``status`` as Google spells it."""

    def __init__(self, status: str, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status


@dataclass
class Bucket:
    name: str
    project_id: str
    location: str
    labels: dict[str, str] = field(default_factory=dict)
    versioning: bool = False


@dataclass
class Network:
    name: str
    self_link: str
    subnet_cidr: dict[str, str] = field(default_factory=dict)  # region -> range
    labels: dict[str, str] = field(default_factory=dict)


@dataclass
class Instance:
    name: str
    zone: str
    machine_type: str
    network: str
    status: str  # RUNNING, TERMINATED, ...
    labels: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ServiceAccountKey:
    email: str
    key_id: str
    secret: str = field(repr=False)
    expires_at: datetime


@dataclass
class Project:
    project_id: str
    labels: dict[str, str]
    allowed_regions: frozenset[str] = frozenset()
    networks: dict[str, Network] = field(default_factory=dict)
    instances: dict[str, Instance] = field(default_factory=dict)
    keys: dict[str, ServiceAccountKey] = field(default_factory=dict)


def _check_labels(labels: dict[str, str]) -> None:
    for key, value in labels.items():
        if not is_valid_label(key, value):
            raise GcpError("INVALID_ARGUMENT", f"Invalid label {key}={value}.")


def region_of_zone(zone: str) -> str:
    return zone.rsplit("-", 1)[0]


class GcpOrganization:
    def __init__(self, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self._clock = clock
        self._projects: dict[str, Project] = {}
        # One namespace for every project's buckets, as in Cloud Storage.
        self._buckets: dict[str, Bucket] = {}
        self._lock = threading.RLock()

    # --- the operator ---------------------------------------------------------------

    def create_or_update_project(
        self, project_id: str, labels: dict[str, str], allowed_regions: frozenset[str]
    ) -> Project:
        _check_labels(labels)
        with self._lock:
            project = self._projects.setdefault(project_id, Project(project_id, dict(labels)))
            project.labels = dict(labels)
            project.allowed_regions = allowed_regions
            return project

    def project(self, project_id: str) -> Project | None:
        with self._lock:
            return self._projects.get(project_id)

    def projects(self) -> list[Project]:
        with self._lock:
            return list(self._projects.values())

    def _existing(self, project_id: str) -> Project:
        project = self.project(project_id)
        if project is None:
            raise GcpError("NOT_FOUND", f"Project {project_id} not found.")
        return project

    def buckets(self, project_id: str) -> list[Bucket]:
        with self._lock:
            return [b for b in self._buckets.values() if b.project_id == project_id]

    def insert_bucket(self, bucket: Bucket) -> Bucket:
        """The bucket, made when missing; a name another project holds is a conflict."""
        _check_labels(bucket.labels)
        with self._lock:
            self._existing(bucket.project_id)
            existing = self._buckets.get(bucket.name)
            if existing is not None:
                if existing.project_id != bucket.project_id:
                    raise GcpError("CONFLICT", f"The bucket name {bucket.name} is taken.")
                return existing
            self._buckets[bucket.name] = bucket
            return bucket

    def delete_bucket(self, name: str) -> None:
        with self._lock:
            self._buckets.pop(name, None)

    def insert_network(self, project_id: str, network: Network) -> Network:
        _check_labels(network.labels)
        with self._lock:
            return self._existing(project_id).networks.setdefault(network.name, network)

    def delete_network(self, project_id: str, name: str) -> None:
        with self._lock:
            project = self._existing(project_id)
            network = project.networks.get(name)
            if network is None:
                return
            if any(i.network == network.self_link for i in project.instances.values()):
                raise GcpError("FAILED_PRECONDITION", f"Network {name} is in use.")
            del project.networks[name]

    def insert_instance(self, project_id: str, instance: Instance) -> Instance:
        _check_labels(instance.labels)
        with self._lock:
            return self._existing(project_id).instances.setdefault(instance.name, instance)

    def delete_instance(self, project_id: str, name: str) -> None:
        with self._lock:
            self._existing(project_id).instances.pop(name, None)

    def create_key(self, project_id: str, email: str, lifetime: timedelta) -> ServiceAccountKey:
        """A new key of the project's learner service account; earlier keys are revoked."""
        with self._lock:
            project = self._existing(project_id)
            key = ServiceAccountKey(
                email, secrets.token_hex(20), secrets.token_urlsafe(30), self._clock() + lifetime
            )
            project.keys = {key.key_id: key}
            return key

    def revoke_keys(self, project_id: str) -> None:
        with self._lock:
            project = self.project(project_id)
            if project is not None:
                project.keys.clear()

    # --- a learner --------------------------------------------------------------------

    def learner(self, email: str, secret: str) -> GcpLearner:
        return GcpLearner(self, email, secret)

    def authorize(self, email: str, secret: str, region: str | None) -> Project:
        """The project a service account key may change, as IAM and the organization
        policy (``gcp.resourceLocations``) would decide."""
        with self._lock:
            for project in self._projects.values():
                for key in project.keys.values():
                    if key.email == email and secrets.compare_digest(key.secret, secret):
                        if self._clock() >= key.expires_at:
                            raise GcpError("UNAUTHENTICATED", "The key has expired.")
                        if region is not None and region not in project.allowed_regions:
                            raise GcpError(
                                "PERMISSION_DENIED",
                                f"Location {region} violates constraint gcp.resourceLocations.",
                            )
                        return project
            raise GcpError("UNAUTHENTICATED", "Invalid service account key.")


class GcpLearner:
    """What a learner's service account may do in its project."""

    def __init__(self, organization: GcpOrganization, email: str, secret: str) -> None:
        self._organization = organization
        self._email = email
        self._secret = secret

    def create_bucket(self, name: str, region: str, versioning: bool = False) -> None:
        project = self._organization.authorize(self._email, self._secret, region)
        self._organization.insert_bucket(Bucket(name, project.project_id, region, {}, versioning))

    def create_instance(
        self,
        name: str,
        zone: str,
        machine_type: str,
        network: str,
        labels: dict[str, str] | None = None,
    ) -> None:
        project = self._organization.authorize(self._email, self._secret, region_of_zone(zone))
        self._organization.insert_instance(
            project.project_id,
            Instance(name, zone, machine_type, network, "RUNNING", dict(labels or {})),
        )

    def set_running(self, name: str, running: bool) -> None:
        project = self._organization.authorize(self._email, self._secret, None)
        instance = project.instances.get(name)
        if instance is None:
            raise GcpError("NOT_FOUND", f"Instance {name} not found.")
        instance.status = "RUNNING" if running else "TERMINATED"
