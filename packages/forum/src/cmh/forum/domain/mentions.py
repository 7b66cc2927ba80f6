"""@mentions in a post's Markdown: the handles, resolved to users by the application.

A handle is a name (``@ben.smith``) or, since the users context knows people by their email
address and has no usernames, an address (``@ben@example.com``): the directory says which
handles name a user; the others are plain text."""

from __future__ import annotations

import re

# A handle as users spell it (letters, digits, dot, dash, underscore, plus), optionally with
# an email domain, not inside an email address or a word.
_MENTION = re.compile(
    r"(?<![\w.@])@([A-Za-z0-9][A-Za-z0-9._+-]{0,62}[A-Za-z0-9]"
    r"(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)"
)
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)


def mentioned_handles(markdown: str) -> tuple[str, ...]:
    """Distinct handles, first seen first, lower-cased; none from code spans or blocks."""
    text = _CODE.sub(" ", markdown)
    return tuple(dict.fromkeys(m.lower() for m in _MENTION.findall(text)))
