"""What the Payments domain refuses, with stable codes (mapped to HTTP by the kernel)."""

from __future__ import annotations

from cmh.kernel.errors import Conflict, InvalidInput, NotFound


class PlanNotFound(NotFound):
    code = "plan_not_found"


class PlanNotPurchasable(InvalidInput):
    code = "plan_not_purchasable"


class SubscriptionNotFound(NotFound):
    code = "subscription_not_found"


class SubscriptionNotChangeable(Conflict):
    code = "subscription_not_changeable"


class AlreadySubscribed(Conflict):
    code = "already_subscribed"


class NoSeatLeft(Conflict):
    code = "no_seat_left"


class NotASeatHolder(NotFound):
    code = "seat_not_found"


class RefundTooLarge(InvalidInput):
    code = "refund_too_large"
