from __future__ import annotations

import pytest

from cmh.payments.domain.errors import PlanNotFound, PlanNotPurchasable
from cmh.payments.domain.plans import PlanCatalog, PlanKind, Tier


def test_the_catalogue_sells_pro_team_seats_and_lab_hour_packs() -> None:
    catalog = PlanCatalog()
    assert [p.id for p in catalog.all()] == [
        "free",
        "pro_monthly",
        "pro_yearly",
        "team_monthly",
        "lab_hours_10",
    ]
    assert catalog.get("pro_yearly").tier is Tier.PRO
    assert catalog.get("team_monthly").amount_cents(5) == 5 * 2900
    assert catalog.get("lab_hours_10").kind is PlanKind.LAB_HOURS_PACK
    assert catalog.get("lab_hours_10").lab_hours == 10


def test_unknown_plans_free_plans_and_bad_quantities_are_refused_naming_the_field() -> None:
    catalog = PlanCatalog()
    with pytest.raises(PlanNotFound) as unknown:
        catalog.get("gold")
    assert unknown.value.field == "plan_id"
    with pytest.raises(PlanNotPurchasable):
        catalog.purchasable("free")
    with pytest.raises(PlanNotPurchasable) as seats:
        catalog.get("team_monthly").amount_cents(1)
    assert (seats.value.field, seats.value.code) == ("quantity", "invalid_quantity")
    with pytest.raises(PlanNotPurchasable):
        catalog.get("pro_monthly").checked_quantity(2)
