"""The platform's mail: HTML and plain text, in English or German by the recipient's
locale. Every value from an event or a profile is escaped in the HTML (a display name
``<script>`` stays text); the unsubscribe link is in the footer and in the
``List-Unsubscribe`` header with RFC 8058 one-click, so mail clients offer it too."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from cmh.notifications.application.ports import MailMessage, Recipient
from cmh.notifications.domain.account_mail import account_text
from cmh.notifications.domain.messages import language_of
from cmh.notifications.domain.notification import Notification


@dataclass(frozen=True)
class Chrome:
    greeting: str
    digest_subject: str
    open_link: str
    unsubscribe: str
    signature: str


CHROME = {
    "en": Chrome(
        greeting="Hello {name},",
        digest_subject="Your CloudMastersHub digest: {count} updates",
        open_link="Open",
        unsubscribe="Unsubscribe from these emails",
        signature="The CloudMastersHub team",
    ),
    "de": Chrome(
        greeting="Hallo {name},",
        digest_subject="Deine CloudMastersHub-Zusammenfassung: {count} Neuigkeiten",
        open_link="Öffnen",
        unsubscribe="Diese E-Mails abbestellen",
        signature="Dein CloudMastersHub-Team",
    ),
}

_HTML = """<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{subject}</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: auto">
<p>{greeting}</p>
{items}
<p>{signature}</p>
{footer}
</body></html>
"""
_ITEM = '<h2 style="font-size: 1.1em">{title}</h2>\n<p>{body}</p>\n{link}'


class HtmlAndTextRenderer:
    def __init__(self, public_url: str) -> None:
        self._public_url = public_url.rstrip("/")

    def _absolute(self, link: str) -> str:
        return link if "://" in link else f"{self._public_url}/{link.lstrip('/')}"

    def render(
        self,
        recipient: Recipient,
        locale: str,
        notifications: list[Notification],
        unsubscribe_url: str | None,
    ) -> MailMessage:
        lang = language_of(locale)
        chrome = CHROME[lang]
        if len(notifications) == 1:
            subject = notifications[0].title
        else:
            subject = chrome.digest_subject.format(count=len(notifications))
        greeting = chrome.greeting.format(name=recipient.display_name)
        text_items = []
        html_items = []
        for n in notifications:
            link = self._absolute(n.link) if n.link else None
            text_items.append(f"{n.title}\n\n{n.body}" + (f"\n{link}" if link else ""))
            html_items.append(
                _ITEM.format(
                    title=escape(n.title),
                    body=escape(n.body),
                    link=f'<p><a href="{escape(link)}">{escape(chrome.open_link)}</a></p>'
                    if link
                    else "",
                )
            )
        footer_text = f"\n\n--\n{chrome.unsubscribe}: {unsubscribe_url}" if unsubscribe_url else ""
        footer_html = (
            f'<p style="font-size: .8em"><a href="{escape(unsubscribe_url)}">'
            f"{escape(chrome.unsubscribe)}</a></p>"
            if unsubscribe_url
            else ""
        )
        text = (
            f"{greeting}\n\n"
            + "\n\n".join(text_items)
            + f"\n\n{chrome.signature}"
            + footer_text
            + "\n"
        )
        html = _HTML.format(
            lang=lang,
            subject=escape(subject),
            greeting=escape(greeting),
            items="\n".join(html_items),
            signature=escape(chrome.signature),
            footer=footer_html,
        )
        headers = (
            {
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
            if unsubscribe_url
            else {}
        )
        return MailMessage(
            to=recipient.email,
            to_name=recipient.display_name,
            subject=subject,
            text=text,
            html=html,
            headers=headers,
            category=str(notifications[0].category),
        )

    def render_account(
        self,
        kind: str,
        recipient: Recipient,
        locale: str,
        action_url: str,
        expires_in_seconds: int,
    ) -> MailMessage:
        lang = language_of(locale)
        chrome = CHROME[lang]
        text = account_text(kind, locale, expires_in_seconds)
        greeting = chrome.greeting.format(name=recipient.display_name or recipient.email)
        plain = (
            f"{greeting}\n\n{text.body}\n\n{text.action}: {action_url}\n\n{text.expiry}\n\n"
            f"{chrome.signature}\n"
        )
        items = (
            f"<p>{escape(text.body)}</p>\n"
            f'<p><a href="{escape(action_url)}">{escape(text.action)}</a></p>\n'
            f"<p>{escape(text.expiry)}</p>"
        )
        html = _HTML.format(
            lang=lang,
            subject=escape(text.subject),
            greeting=escape(greeting),
            items=items,
            signature=escape(chrome.signature),
            footer="",
        )
        return MailMessage(
            to=recipient.email,
            to_name=recipient.display_name,
            subject=text.subject,
            text=plain,
            html=html,
            category="account",
        )
