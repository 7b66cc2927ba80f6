from __future__ import annotations

from datetime import UTC, datetime

from cmh.kernel.auth.principal import Principal
from cmh.kernel.clock import FrozenClock
from cmh.kernel.uow import InMemoryUnitOfWork
from cmh.payments.application.my_payments import MyPayments
from cmh.payments.application.my_subscription import MySubscription
from cmh.payments.demo_seed import seed_demo_subscription
from cmh_testing.payments import memory_payments

PRO = Principal(user_id="pro-user", roles=frozenset({"learner"}))


async def test_the_pro_demo_learner_has_a_paid_pro_subscription_once_and_no_news() -> None:
    container = memory_payments(FrozenClock(datetime(2026, 11, 30, 12, tzinfo=UTC)))
    try:
        assert await seed_demo_subscription(container, user_id=PRO.user_id)
        assert not await seed_demo_subscription(container, user_id=PRO.user_id)
        async with container() as request:
            mine = await (await request.get(MySubscription)).execute(PRO)
            invoices = await (await request.get(MyPayments)).execute(PRO)
        assert (mine.status, mine.tier, mine.plan_id) == ("active", "pro", "pro_monthly")
        assert [(i.status, i.amount) for i in invoices] == [("paid", "19.00")]
        assert (await container.get(InMemoryUnitOfWork)).committed == []
    finally:
        await container.close()
