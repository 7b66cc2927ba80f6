"""The ``CloudLab`` port on GCP, against the local project simulator: one project per lab
session, labelled with the session id, and a learner service account with a key.

Buckets are Cloud Storage buckets, networks VPC networks (one subnetwork in the lab's
region), instances Compute Engine instances in the region's zone ``b`` (TERMINATED counts
as stopped). A torn-down project stays, empty and with no key, as an AWS account does:
deleting a project holds its id for 30 days.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection

from cmh.labs.adapters.gcp.labels import (
    RESOURCE_LABEL,
    SESSION_LABEL,
    label_value,
    tags_of_labels,
    value_of_label,
)
from cmh.labs.adapters.gcp.simulator import Bucket, GcpOrganization, Instance, Network, Project
from cmh.labs.application.ports import LabCredentials, ProvisionedLab
from cmh.labs.domain.checks import Inventory, ObservedResource
from cmh.labs.domain.template import BucketSpec, InstanceSpec, LabTemplate, NetworkSpec

NETWORK_NAME = "cmh-lab-network"
LEARNER_ACCOUNT = "cmh-learner"


def _digest(session_id: str) -> str:
    return hashlib.sha256(session_id.encode()).hexdigest()[:16]


def project_id(session_id: str) -> str:
    """6 to 30 lowercase letters, digits and hyphens, starting with a letter."""
    return f"cmh-lab-{_digest(session_id)}"


def _network_link(project: str) -> str:
    return f"projects/{project}/global/networks/{NETWORK_NAME}"


class SimulatedGcpCloudLab:
    def __init__(self, organization: GcpOrganization) -> None:
        self._organization = organization

    def _labels(self, session_id: str, resource: str) -> dict[str, str]:
        return {SESSION_LABEL: label_value(session_id), RESOURCE_LABEL: resource}

    def _create(self, project: str, session_id: str, template: LabTemplate, region: str) -> None:
        for index, spec in enumerate(template.resources):
            if isinstance(spec, NetworkSpec):
                self._organization.insert_network(
                    project,
                    Network(
                        NETWORK_NAME,
                        _network_link(project),
                        {region: spec.subnet_cidr},
                        self._labels(session_id, "network"),
                    ),
                )
            elif isinstance(spec, BucketSpec):
                self._organization.insert_bucket(
                    Bucket(
                        f"{spec.name_prefix}{_digest(session_id)}-{index}",
                        project,
                        region,
                        self._labels(session_id, f"bucket-{index}"),
                        spec.versioning,
                    )
                )
            else:
                self._organization.insert_instance(
                    project, self._instance(project, session_id, spec, index, region)
                )

    def _instance(
        self, project: str, session_id: str, spec: InstanceSpec, index: int, region: str
    ) -> Instance:
        return Instance(
            f"cmh-lab-instance-{index}",
            f"{region}-b",
            spec.instance_type,
            _network_link(project),
            "RUNNING" if spec.running else "TERMINATED",
            dict(spec.tags) | self._labels(session_id, f"instance-{index}"),
        )

    async def provision(
        self, session_id: str, template: LabTemplate, region: str
    ) -> ProvisionedLab:
        project = project_id(session_id)
        self._organization.create_or_update_project(
            project, {SESSION_LABEL: label_value(session_id)}, frozenset(template.allowed_regions)
        )
        self._create(project, session_id, template, region)
        key = self._organization.create_key(
            project,
            f"{LEARNER_ACCOUNT}@{project}.iam.gserviceaccount.com",
            template.time_limit + template.max_extension,
        )
        return ProvisionedLab(
            account_id=project,
            region=region,
            endpoint=None,
            console_url=None,
            credentials=LabCredentials(
                access_key_id=key.email,
                secret_access_key=key.secret,
                session_token=key.key_id,
                expires_at=key.expires_at,
            ),
        )

    def _observed(self, project: Project) -> tuple[ObservedResource, ...]:
        networks = tuple(
            ObservedResource("network", network.self_link, "global", tags_of_labels(network.labels))
            for network in list(project.networks.values())
        )
        buckets = tuple(
            ObservedResource(
                "bucket",
                bucket.name,
                bucket.location,
                tags_of_labels(bucket.labels),
                {"versioning": bucket.versioning},
            )
            for bucket in self._organization.buckets(project.project_id)
        )
        instances = tuple(
            ObservedResource(
                "instance",
                instance.name,
                instance.zone,
                tags_of_labels(instance.labels),
                {
                    "state": "running" if instance.status == "RUNNING" else "stopped",
                    "network_id": instance.network,
                },
            )
            for instance in list(project.instances.values())
        )
        return networks + buckets + instances

    async def observe(self, session_id: str) -> Inventory:
        project = self._organization.project(project_id(session_id))
        if project is None:
            return Inventory((), None)
        network = _network_link(project.project_id)
        observed = self._observed(project)
        has_network = any(r.kind == "network" and r.name == network for r in observed)
        return Inventory(observed, network if has_network else None)

    def _everything(self, project: Project) -> tuple[ObservedResource, ...]:
        keys = tuple(
            ObservedResource("service_account_key", key.key_id, "global")
            for key in list(project.keys.values())
        )
        return self._observed(project) + keys

    async def inventory(self, session_id: str) -> tuple[ObservedResource, ...]:
        project = self._organization.project(project_id(session_id))
        return () if project is None else self._everything(project)

    async def tear_down(self, session_id: str) -> None:
        project = self._organization.project(project_id(session_id))
        if project is None:
            return
        for instance in list(project.instances):
            self._organization.delete_instance(project.project_id, instance)
        for bucket in self._organization.buckets(project.project_id):
            self._organization.delete_bucket(bucket.name)
        for network in list(project.networks):
            self._organization.delete_network(project.project_id, network)
        # The learner's access goes last.
        self._organization.revoke_keys(project.project_id)

    async def orphans(self, active_session_ids: Collection[str]) -> list[str]:
        active = set(active_session_ids)
        found = []
        for project in self._organization.projects():
            label = project.labels.get(SESSION_LABEL)
            if label is None:
                continue
            session_id = value_of_label(label)
            if session_id not in active and self._everything(project):
                found.append(session_id)
        return found
