"""Proctorio (``CMH_ASSESSMENTS__PROCTORIO__*``). ``url``: the account's regional launch
endpoint (``https://{region}5499ws.proctor.io/<path>``, as Proctorio gives it);
``consumer_key`` and ``consumer_secret``: the account's OAuth consumer, from the
environment only (no key: the local stand-in proctors); ``exam_settings``: the
comma-separated Proctorio exam settings sent with every launch, as the account's
Proctorio set-up names them (empty: the account's defaults)."""

from __future__ import annotations

import msgspec


class ProctorioSettings(msgspec.Struct, frozen=True):
    url: str = ""
    consumer_key: str = ""
    consumer_secret: str = ""
    exam_settings: str = ""
    timeout_seconds: float = 5.0

    @property
    def configured(self) -> bool:
        return bool(self.consumer_key)

    def __repr__(self) -> str:
        # The consumer secret must never reach a log line or a traceback.
        secret = "<set>" if self.consumer_secret else None
        return (
            f"ProctorioSettings(url={self.url!r}, consumer_key={self.consumer_key!r}, "
            f"consumer_secret={secret}, exam_settings={self.exam_settings!r}, "
            f"timeout_seconds={self.timeout_seconds})"
        )

    __str__ = __repr__
