"""Settings of live push across API instances (``CMH_NOTIFICATIONS__PUSH__*``)."""

from __future__ import annotations

import msgspec


class PushSettings(msgspec.Struct, frozen=True):
    # One Redis Pub/Sub channel for every user: each API instance subscribes once and
    # hands each message to the sockets it holds.
    channel: str = "cmh:notifications:push"
