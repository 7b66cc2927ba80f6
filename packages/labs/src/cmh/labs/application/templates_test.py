from __future__ import annotations

from decimal import Decimal

import msgspec
import pytest

from cmh.kernel.errors import Forbidden
from cmh.labs.application.conftest import (
    ADMIN,
    INSTRUCTOR,
    LEARNER,
    OTHER_INSTRUCTOR,
    Labs,
    new_template,
)
from cmh.labs.application.create_template import CreateTemplate
from cmh.labs.application.get_template import GetTemplate
from cmh.labs.application.list_templates import ListTemplates
from cmh.labs.application.revise_template import ReviseTemplate, TemplateRevision
from cmh.labs.domain.errors import InvalidTemplate, TemplateNotFound
from cmh.labs.domain.template import CloudProvider


async def test_an_instructor_authors_a_template_others_can_read(labs: Labs) -> None:
    created = await labs.template()
    assert created.owner_id == INSTRUCTOR.user_id
    assert created.max_score == 10
    assert [r.__struct_config__.tag for r in created.resources] == ["network", "bucket"]
    found = await (await labs.use(GetTemplate)).execute(LEARNER, created.id)
    assert found == created
    assert labs.uow.commits == 1


async def test_a_learner_cannot_author_and_nothing_is_stored(labs: Labs) -> None:
    with pytest.raises(Forbidden):
        await (await labs.use(CreateTemplate)).execute(LEARNER, new_template())
    assert labs.uow.commits == 0


async def test_a_template_breaking_its_rules_names_the_field(labs: Labs) -> None:
    with pytest.raises(InvalidTemplate) as raised:
        await labs.template(allowed_regions=("westeurope",))
    assert raised.value.field == "allowed_regions"


async def test_only_the_author_or_an_admin_revises(labs: Labs) -> None:
    created = await labs.template()
    revise = await labs.use(ReviseTemplate)
    with pytest.raises(Forbidden):
        await revise.execute(OTHER_INSTRUCTOR, created.id, TemplateRevision(title="Taken over"))
    by_admin = await revise.execute(
        ADMIN, created.id, TemplateRevision(budget_cap_usd=Decimal("2.50"), course_id="c-1")
    )
    assert (by_admin.budget_cap_usd, by_admin.course_id, by_admin.title) == (
        Decimal("2.50"),
        "c-1",
        "S3 versioning",
    )
    detached = await revise.execute(INSTRUCTOR, created.id, TemplateRevision(course_id=None))
    assert detached.course_id is None
    with pytest.raises(TemplateNotFound):
        await revise.execute(ADMIN, "nope", TemplateRevision(title="Ghost"))


async def test_a_revision_that_changes_nothing_commits_nothing(labs: Labs) -> None:
    created = await labs.template()
    commits = labs.uow.commits
    same = await (await labs.use(ReviseTemplate)).execute(
        INSTRUCTOR, created.id, TemplateRevision(title=created.title)
    )
    assert same == created
    assert labs.uow.commits == commits


async def test_templates_are_listed_by_provider(labs: Labs) -> None:
    aws = await labs.template(title="B on AWS")
    gcp = await labs.template(
        title="A on GCP",
        provider=CloudProvider.GCP,
        allowed_regions=("us-central1",),
        allowed_services=("storage", "compute"),
    )
    listing = await labs.use(ListTemplates)
    assert [t.id for t in await listing.execute(LEARNER)] == [gcp.id, aws.id]
    assert [t.id for t in await listing.execute(LEARNER, CloudProvider.AWS)] == [aws.id]
    assert await listing.execute(LEARNER, CloudProvider.AZURE) == []


def test_a_template_view_encodes_its_specs_tagged() -> None:
    body = msgspec.json.encode(new_template())
    assert b'"type":"bucket"' in body
