"""Login failures in Redis, shared by every instance of the Users service.

One hash per count (``count``, ``last`` as epoch seconds), updated by a Lua script so
concurrent failures are never lost and a count older than ``forget_failures_after``
restarts at one. Keys expire after the same time; a known address is a key living
``remember_addresses_for``. Keys are digests (Redis never holds an email or an IP), and
share one hash tag per account so the script stays on one Redis Cluster slot.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from cmh.users.domain.login_throttle import FailureCount, LoginHistory
from cmh.users.domain.tokens import digest

# KEYS: the counts to bump; ARGV: now (epoch seconds), forget after (seconds).
_RECORD_FAILURE = """
for _, key in ipairs(KEYS) do
  local last = redis.call('HGET', key, 'last')
  if last and tonumber(ARGV[1]) - tonumber(last) >= tonumber(ARGV[2]) then
    redis.call('DEL', key)
  end
  redis.call('HINCRBY', key, 'count', 1)
  redis.call('HSET', key, 'last', ARGV[1])
  redis.call('EXPIRE', key, ARGV[2])
end
return 0
"""


class RedisLoginFailures:
    def __init__(
        self,
        client: Redis,
        *,
        forget_failures_after: timedelta,
        remember_addresses_for: timedelta,
        namespace: str = "cmh:users:login:",
    ) -> None:
        self._client = client
        self._forget_after = forget_failures_after
        self._remember_for = remember_addresses_for
        self._ns = namespace
        self._record_failure = client.register_script(_RECORD_FAILURE)

    async def history(self, account: str, address: str, now: datetime) -> LoginHistory:
        account_key, pair_key, known_key = self._keys(account, address)
        async with self._client.pipeline(transaction=False) as pipe:
            pipe.hmget(account_key, ["count", "last"])
            pipe.hmget(pair_key, ["count", "last"])
            pipe.get(known_key)
            account_raw, pair_raw, known_raw = await pipe.execute()
        known_at = _time(known_raw)
        return LoginHistory(
            from_address=self._live(pair_raw, now),
            account=self._live(account_raw, now),
            known_address=known_at is not None and now - known_at < self._remember_for,
        )

    async def record_failure(self, account: str, address: str, now: datetime) -> None:
        account_key, pair_key, _ = self._keys(account, address)
        await self._record_failure(
            keys=[account_key, pair_key],
            args=[repr(now.timestamp()), _seconds(self._forget_after)],
        )

    async def record_success(self, account: str, address: str, now: datetime) -> None:
        _, pair_key, known_key = self._keys(account, address)
        async with self._client.pipeline(transaction=True) as pipe:
            pipe.delete(pair_key)
            pipe.set(known_key, repr(now.timestamp()), ex=_seconds(self._remember_for))
            await pipe.execute()

    def _keys(self, account: str, address: str) -> tuple[str, str, str]:
        tag = f"{self._ns}{{{digest(account)}}}"
        pair = digest(f"{account}\n{address}")
        return f"{tag}:failures", f"{tag}:failures:{pair}", f"{tag}:known:{pair}"

    def _live(self, raw: list[bytes | None], now: datetime) -> FailureCount:
        count, last = raw
        last_at = _time(last)
        if count is None or last_at is None or now - last_at >= self._forget_after:
            return FailureCount()
        return FailureCount(int(count), last_at)


def _time(raw: bytes | None) -> datetime | None:
    return None if raw is None else datetime.fromtimestamp(float(raw), UTC)


def _seconds(duration: timedelta) -> int:
    return max(1, int(duration.total_seconds()))
