"""The demo lab templates, one per provider, owned by the demo instructor: the demo
catalog's lab lessons refer to them by these fixed ids. Seeded in both profiles (the
embedded platform's start and the distributed profile's seed job). Idempotent: a template
already there is left as it is, and the run says so."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from dishka import AsyncContainer

from cmh.kernel.clock import Clock
from cmh.kernel.module import Progress
from cmh.kernel.uow import UnitOfWork
from cmh.labs.application.ports import TemplateRepository
from cmh.labs.domain.checks import BucketCheck, InstanceCheck
from cmh.labs.domain.template import (
    BucketSpec,
    CloudProvider,
    InstanceSpec,
    LabTemplate,
    Level,
    NetworkSpec,
    TaskSpec,
)

S3_VERSIONING = "demo-lab-aws-s3-versioning"
EC2_WEB_SERVER = "demo-lab-aws-ec2-web-server"
AZURE_STORAGE = "demo-lab-azure-storage"
GCP_BUCKET = "demo-lab-gcp-bucket"

DEMO_TEMPLATES: dict[str, dict[str, Any]] = {
    S3_VERSIONING: {
        "title": "S3 versioning",
        "description": "Keep every version of your logs: a bucket with versioning on.",
        "provider": CloudProvider.AWS,
        "level": Level.BEGINNER,
        "allowed_regions": ("us-east-1",),
        "allowed_services": ("s3",),
        "tasks": (
            TaskSpec(
                id="logs-bucket",
                title="A bucket whose name starts with logs- has versioning on",
                hint="Create a bucket named logs-<anything>, then turn its versioning on.",
                points=10,
                check=BucketCheck(name_prefix="logs-", versioning=True),
            ),
        ),
        "time_limit": timedelta(minutes=60),
        "max_extension": timedelta(minutes=30),
        "budget_cap_usd": Decimal("2.00"),
        # The first lab most learners open: one environment waits ready for them.
        "warm_pool_size": 1,
    },
    EC2_WEB_SERVER: {
        "title": "A web server on EC2",
        "description": "Start the prepared instance in the session's network and tag it.",
        "provider": CloudProvider.AWS,
        "level": Level.INTERMEDIATE,
        "allowed_regions": ("us-east-1",),
        "allowed_services": ("ec2",),
        "resources": (NetworkSpec(), InstanceSpec(instance_type="t3.micro")),
        "tasks": (
            TaskSpec(
                id="web-instance",
                title="An instance tagged role=web is running in the session's network",
                hint="Tag an instance of the session's subnet role=web and start it.",
                points=20,
                check=InstanceCheck(tags=(("role", "web"),)),
            ),
        ),
        "time_limit": timedelta(minutes=90),
        "max_extension": timedelta(minutes=30),
        "budget_cap_usd": Decimal("5.00"),
    },
    AZURE_STORAGE: {
        "title": "Azure storage for a static site",
        "description": "A storage container for a web app's static files.",
        "provider": CloudProvider.AZURE,
        "level": Level.BEGINNER,
        "allowed_regions": ("westeurope",),
        "allowed_services": ("storage",),
        "tasks": (
            TaskSpec(
                id="site-container",
                title="A container whose name starts with site- exists",
                hint="Create a storage container named site-<anything>.",
                points=10,
                check=BucketCheck(name_prefix="site-"),
            ),
        ),
        "time_limit": timedelta(minutes=45),
        "budget_cap_usd": Decimal("2.00"),
    },
    GCP_BUCKET: {
        "title": "Versioned artifacts on Cloud Storage",
        "description": "Keep every build artifact: a Cloud Storage bucket with versioning.",
        "provider": CloudProvider.GCP,
        "level": Level.ADVANCED,
        "allowed_regions": ("europe-west1",),
        "allowed_services": ("storage",),
        "resources": (BucketSpec(name_prefix="data-"),),
        "tasks": (
            TaskSpec(
                id="artifacts-bucket",
                title="A bucket whose name starts with artifacts- has versioning on",
                hint="Create a bucket named artifacts-<anything> with versioning enabled.",
                points=15,
                check=BucketCheck(name_prefix="artifacts-", versioning=True),
            ),
        ),
        "time_limit": timedelta(minutes=60),
        "budget_cap_usd": Decimal("3.00"),
    },
}


def _ignore(_line: str) -> None:
    return None


async def seed_demo_templates(
    container: AsyncContainer, *, owner_id: str, progress: Progress = _ignore
) -> list[str]:
    """Creates the demo templates that are missing (their ``template.created`` events go
    through the outbox); returns their ids."""
    created: list[str] = []
    for index, (template_id, fields) in enumerate(DEMO_TEMPLATES.items(), start=1):
        async with container() as request:
            templates = await request.get(TemplateRepository)
            uow = await request.get(UnitOfWork)
            now = (await request.get(Clock)).now()
            async with uow:
                if await templates.get(template_id) is not None:
                    progress(f"demo lab template {index}/{len(DEMO_TEMPLATES)} already there")
                    continue
                progress(
                    f"seeding demo lab templates {index}/{len(DEMO_TEMPLATES)}: {fields['title']}"
                )
                template = LabTemplate.create(template_id, owner_id=owner_id, now=now, **fields)
                await templates.add(template)
                await uow.commit()
        created.append(template_id)
    return created
