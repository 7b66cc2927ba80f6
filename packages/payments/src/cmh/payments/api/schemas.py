"""Request bodies of the Payments API."""

from __future__ import annotations

from typing import Annotated

import msgspec

PlanId = Annotated[str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+$")]


class CheckoutCreate(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    plan_id: PlanId
    quantity: Annotated[int, msgspec.Meta(ge=1, le=500)] = 1


class PlanChange(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    plan_id: PlanId
    quantity: Annotated[int, msgspec.Meta(ge=1, le=500)] = 1


class StandInPayment(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """The stand-in's checkout page: pay, or have the card declined."""

    declined: bool = False


class SeatAssignment(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    user_id: Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
