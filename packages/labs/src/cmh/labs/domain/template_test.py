from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from cmh.kernel.errors import InvalidInput
from cmh.labs.domain.checks import SESSION_TAG, BucketCheck, InstanceCheck
from cmh.labs.domain.errors import InvalidTemplate
from cmh.labs.domain.events import TemplateCreated, TemplateRevised
from cmh.labs.domain.template import (
    BucketSpec,
    CloudProvider,
    InstanceSpec,
    LabTemplate,
    Level,
    NetworkSpec,
    TaskSpec,
    bucket_prefix_problem,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)
LATER = NOW + timedelta(hours=1)

VERSIONED_LOGS = TaskSpec(
    "logs", "Version the logs bucket", "Turn versioning on", 10, BucketCheck("logs-", True)
)
WEB_RUNNING = TaskSpec(
    "web", "Start the web server", "Tag it role=web", 20, InstanceCheck((("role", "web"),))
)


def create(**overrides: object) -> LabTemplate:
    fields: dict[str, object] = {
        "owner_id": "teacher",
        "title": "  S3 and   EC2 basics ",
        "provider": CloudProvider.AWS,
        "level": Level.BEGINNER,
        "allowed_regions": ("eu-west-1", "EU-WEST-1", "us-east-1"),
        "allowed_services": ("s3", "ec2"),
        "resources": (NetworkSpec(), BucketSpec("data-"), InstanceSpec()),
        "tasks": (VERSIONED_LOGS, WEB_RUNNING),
        "time_limit": timedelta(hours=1),
        "max_extension": timedelta(minutes=30),
        "budget_cap_usd": Decimal("2.50"),
        "now": NOW,
    }
    fields.update(overrides)
    return LabTemplate.create("t-1", **fields)  # type: ignore[arg-type]


def test_a_new_template_is_normalized_and_records_its_creation() -> None:
    template = create()
    assert template.title == "S3 and EC2 basics"
    assert template.allowed_regions == ("eu-west-1", "us-east-1")
    assert template.max_score == 30
    assert template.task("web") == WEB_RUNNING
    assert template.task("nope") is None
    assert template.events == [TemplateCreated("t-1", "teacher", "aws", NOW)]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "   "}, "title"),
        ({"provider": "oracle"}, "provider"),
        ({"level": "expert"}, "level"),
        ({"title": "x" * 201}, "title"),
        ({"description": "x" * 4001}, "description"),
        ({"allowed_regions": ()}, "allowed_regions"),
        ({"allowed_regions": ("westeurope",)}, "allowed_regions"),
        ({"allowed_services": ()}, "allowed_services"),
        ({"allowed_services": ("s3", "ec2", "storage")}, "allowed_services"),
        ({"allowed_services": ("ec2",)}, "resources"),
        ({"allowed_services": ("s3",), "resources": ()}, "tasks"),
        ({"resources": (NetworkSpec(cidr="10.0.0.0/16", subnet_cidr="10.1.0.0/24"),)}, "resources"),
        ({"resources": (NetworkSpec(cidr="not a cidr"),)}, "resources"),
        ({"resources": (NetworkSpec(cidr="fd00::/48", subnet_cidr="fd00::/64"),)}, "resources"),
        ({"resources": (BucketSpec("Logs-"),)}, "resources"),
        ({"resources": (InstanceSpec("Standard_B1s"),)}, "resources"),
        ({"resources": (InstanceSpec(tags=((SESSION_TAG, "x"),)),)}, "resources"),
        ({"tasks": ()}, "tasks"),
        ({"tasks": (VERSIONED_LOGS, VERSIONED_LOGS)}, "tasks"),
        ({"tasks": (TaskSpec("a", "A", "", 0, BucketCheck("logs-")),)}, "tasks"),
        ({"tasks": (TaskSpec("Bad Id", "A", "", 1, BucketCheck("logs-")),)}, "tasks"),
        ({"tasks": (TaskSpec("a", " ", "", 1, BucketCheck("logs-")),)}, "tasks"),
        ({"tasks": (TaskSpec("a", "A", "", 1, BucketCheck("xn--logs")),)}, "tasks"),
        ({"tasks": (TaskSpec("a", "A", "", 1, InstanceCheck(())),)}, "tasks"),
        ({"time_limit": timedelta(minutes=14)}, "time_limit"),
        ({"time_limit": timedelta(hours=8, seconds=1)}, "time_limit"),
        ({"max_extension": timedelta(hours=1, seconds=1)}, "max_extension"),
        ({"max_extension": timedelta(minutes=-1)}, "max_extension"),
        ({"budget_cap_usd": Decimal(0)}, "budget_cap_usd"),
        ({"budget_cap_usd": Decimal("NaN")}, "budget_cap_usd"),
        ({"warm_pool_size": -1}, "warm_pool_size"),
        ({"warm_pool_size": 11}, "warm_pool_size"),
    ],
)
def test_each_rule_names_the_field_at_fault(overrides: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidTemplate) as raised:
        create(**overrides)
    assert raised.value.field == field
    assert isinstance(raised.value, InvalidInput)


def test_the_limits_themselves_are_allowed() -> None:
    create(time_limit=timedelta(minutes=15), max_extension=timedelta(minutes=15), warm_pool_size=0)
    create(time_limit=timedelta(hours=8), max_extension=timedelta(0), warm_pool_size=10)


def test_services_and_instance_types_follow_the_provider() -> None:
    azure = create(
        provider=CloudProvider.AZURE,
        allowed_regions=("westeurope",),
        allowed_services=("storage", "compute", "network"),
        resources=(NetworkSpec(), BucketSpec("data-"), InstanceSpec("Standard_B1s")),
    )
    assert azure.provider is CloudProvider.AZURE
    gcp = create(
        provider=CloudProvider.GCP,
        allowed_regions=("europe-west1",),
        allowed_services=("storage", "compute"),
        resources=(InstanceSpec("e2-micro"),),
    )
    assert gcp.allowed_services == ("storage", "compute")
    with pytest.raises(InvalidTemplate) as raised:
        create(provider=CloudProvider.GCP, allowed_regions=("europe-west1",))
    assert raised.value.field == "allowed_services"


@pytest.mark.parametrize(
    "prefix",
    ["", "-logs", "Logs", "logs_", "a..b", "a.-b", "a-.b", "xn--a", "sthree-a", "x" * 41],
)
def test_bucket_prefixes_that_cannot_start_an_s3_name(prefix: str) -> None:
    assert bucket_prefix_problem(prefix, CloudProvider.AWS) is not None


@pytest.mark.parametrize("prefix", ["logs-", "a", "data.lake-", "9lives", "x" * 40])
def test_bucket_prefixes_that_start_an_s3_name(prefix: str) -> None:
    assert bucket_prefix_problem(prefix, CloudProvider.AWS) is None


def test_azure_containers_have_no_dots() -> None:
    assert bucket_prefix_problem("data.lake-", CloudProvider.AZURE) is not None


def test_a_revision_changes_only_what_it_names_and_records_what_changed() -> None:
    template = create()
    template.events.clear()
    assert template.revise(now=LATER, title="Storage basics", warm_pool_size=2) is True
    assert (template.title, template.warm_pool_size, template.updated_at) == (
        "Storage basics",
        2,
        LATER,
    )
    assert template.allowed_regions == ("eu-west-1", "us-east-1")
    assert template.events == [TemplateRevised("t-1", ("title", "warm_pool_size"), LATER)]


def test_a_revision_that_changes_nothing_records_nothing() -> None:
    template = create()
    template.events.clear()
    assert (
        template.revise(now=LATER, title=" S3 and EC2  basics", budget_cap_usd=Decimal("2.5"))
        is False
    )
    assert template.events == []
    assert template.updated_at == NOW


def test_a_revision_can_detach_the_course() -> None:
    template = create(course_id="c-1")
    assert template.revise(now=LATER, course_id=None) is True
    assert template.course_id is None


def test_an_invalid_revision_leaves_the_template_as_it_was() -> None:
    template = create()
    with pytest.raises(InvalidTemplate) as raised:
        template.revise(now=LATER, title="Fine", time_limit=timedelta(minutes=10))
    assert raised.value.field == "time_limit"
    assert (template.title, template.time_limit, len(template.events)) == (
        "S3 and EC2 basics",
        timedelta(hours=1),
        1,
    )


def test_identity_and_ownership_are_not_revisable() -> None:
    template = create()
    with pytest.raises(InvalidTemplate) as raised:
        template.revise(now=LATER, owner_id="someone-else")
    assert raised.value.field == "owner_id"
    assert template.owner_id == "teacher"


@pytest.mark.parametrize("field", ["title", "time_limit", "tasks"])
def test_a_revision_cannot_empty_a_required_field(field: str) -> None:
    template = create()
    with pytest.raises(InvalidTemplate) as raised:
        template.revise(now=LATER, **{field: None})
    assert raised.value.field == field
