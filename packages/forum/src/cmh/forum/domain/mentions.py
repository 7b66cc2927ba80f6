"""@mentions in a post's Markdown: the handles, resolved to users by the application."""

from __future__ import annotations

import re

# A handle as users spell it (letters, digits, dot, dash, underscore), not inside an email
# address or a word.
_MENTION = re.compile(r"(?<![\w.@])@([A-Za-z0-9][A-Za-z0-9._-]{1,38}[A-Za-z0-9])")
_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)


def mentioned_handles(markdown: str) -> tuple[str, ...]:
    """Distinct handles, first seen first, lower-cased; none from code spans or blocks."""
    text = _CODE.sub(" ", markdown)
    return tuple(dict.fromkeys(m.lower() for m in _MENTION.findall(text)))
