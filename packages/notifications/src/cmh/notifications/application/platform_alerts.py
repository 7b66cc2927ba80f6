"""Alertmanager's webhook: each alert of the group, firing or resolved, becomes a
notification for every administrator, on the channels their preferences allow (the inbox,
live push, mail; never held: operations are urgent). One alert firing is named by its
fingerprint, its start and its status, so a webhook Alertmanager sends again (it repeats
firing groups and retries failures) tells nobody twice: ``Notify``'s delivery log keeps
each (event, channel, recipient) once."""

from __future__ import annotations

import hashlib

import structlog

from cmh.contracts.http.notifications import AlertmanagerAlert, AlertmanagerWebhook, AlertsReceived
from cmh.notifications.application.notify import Notify
from cmh.notifications.application.ports import Administrators, AlertWebhookKey
from cmh.notifications.application.requests import NotifyRequest

log = structlog.get_logger("cmh.notifications.alerts")

KIND_OF_STATUS = {"firing": "platform.alert_firing", "resolved": "platform.alert_resolved"}
# Annotation and label texts as far as a notification shows them.
TEXT_LIMIT = 500


def alert_event_id(alert: AlertmanagerAlert) -> str:
    """The same firing (or end) of the same alert always gets the same id."""
    named = f"{alert.fingerprint}|{alert.startsAt}|{alert.status}".encode()
    return "alert:" + hashlib.sha256(named).hexdigest()


class TellAdministratorsOfAlerts:
    def __init__(self, key: AlertWebhookKey, admins: Administrators, notify: Notify) -> None:
        self._key = key
        self._admins = admins
        self._notify = notify

    async def execute(self, presented_secret: str, webhook: AlertmanagerWebhook) -> AlertsReceived:
        self._key.verify(presented_secret)
        administrators = await self._admins.all()
        for alert in webhook.alerts:
            log.info(
                "notifications.alert_received",
                alertname=alert.labels.get("alertname", ""),
                status=alert.status,
                fingerprint=alert.fingerprint,
                administrators=len(administrators),
            )
            for admin in administrators:
                await self._notify.execute(
                    NotifyRequest(
                        recipient_id=admin.user_id,
                        kind=KIND_OF_STATUS[alert.status],
                        source_event_id=alert_event_id(alert),
                        variables=_variables(alert),
                        recipient=admin,
                    )
                )
        return AlertsReceived(alerts=len(webhook.alerts), administrators=len(administrators))


def _variables(alert: AlertmanagerAlert) -> dict[str, str]:
    fields = {
        "alertname": alert.labels.get("alertname", "unnamed"),
        "severity": alert.labels.get("severity", "unknown"),
        "service": alert.labels.get("service", ""),
        "summary": alert.annotations.get("summary", ""),
        "description": alert.annotations.get("description", ""),
    }
    return {name: value[:TEXT_LIMIT] for name, value in fields.items()}
