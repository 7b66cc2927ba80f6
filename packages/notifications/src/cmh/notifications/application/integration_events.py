"""Notifications publishes no contract events: its aggregates record none, so its map is
empty (``NOTIFICATIONS_EVENTS``)."""

from __future__ import annotations

from cmh.kernel.event_mapping import EventMap

NOTIFICATIONS_EVENTS = EventMap()
