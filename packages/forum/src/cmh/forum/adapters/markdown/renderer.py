"""Post bodies: CommonMark rendered by markdown-it-py with raw HTML off, then cleaned by
nh3 (the Ammonia sanitiser) against an allow-list, so no script, no event handler and no
``javascript:`` link survives whatever the Markdown says."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt

TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td", "img",
    }
)  # fmt: skip
ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "code": {"class"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


class MarkdownItRenderer:
    def __init__(self) -> None:
        # "html": False escapes raw HTML in the source instead of passing it through.
        self._markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable(
            ["table", "strikethrough"]
        )

    def render(self, markdown: str) -> str:
        html = self._markdown.render(markdown)
        return nh3.clean(
            html,
            tags=set(TAGS),
            attributes={tag: set(names) for tag, names in ATTRIBUTES.items()},
            url_schemes=set(URL_SCHEMES),
            link_rel="nofollow noopener noreferrer ugc",
            strip_comments=True,
        )
