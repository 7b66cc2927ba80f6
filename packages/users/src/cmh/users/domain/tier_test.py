import itertools

import pytest

from cmh.kernel.errors import InvalidInput
from cmh.users.domain.tier import ENTITLEMENTS, CourseLevel, Tier, entitlements_of


def test_every_tier_has_entitlements() -> None:
    assert set(ENTITLEMENTS) == set(Tier)


def test_higher_tiers_never_entitle_less() -> None:
    order = [Tier.FREE, Tier.PRO, Tier.TEAM]
    for lower, higher in itertools.pairwise(order):
        assert entitlements_of(lower).course_levels <= entitlements_of(higher).course_levels
        assert (
            entitlements_of(lower).lab_hours_per_month < entitlements_of(higher).lab_hours_per_month
        )


def test_free_learners_get_beginner_courses_only() -> None:
    free = entitlements_of(Tier.FREE)
    assert free.allows_course_level(CourseLevel.BEGINNER)
    assert not free.allows_course_level(CourseLevel.ADVANCED)


def test_unknown_tiers_name_the_field() -> None:
    with pytest.raises(InvalidInput) as error:
        Tier.parse("platinum")
    assert error.value.field == "tier"
