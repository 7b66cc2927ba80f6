from __future__ import annotations

import re

import pytest

from cmh.forum.adapters.markdown.renderer import MarkdownItRenderer

RENDERER = MarkdownItRenderer()

# Classic payloads (OWASP's XSS filter evasion list and friends), as Markdown and as raw HTML.
PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<IMG SRC=javascript:alert('XSS')>",
    "<svg/onload=alert(1)>",
    "<body onload=alert(1)>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](javascript&#58;alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    '![x](x" onerror="alert(1))',
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><input type=submit>",
    "<details open ontoggle=alert(1)>",
    '<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
    "<<script>script>alert(1)<</script>/script>",
    "`<script>alert(1)</script>`",
    "```html\n<script>alert(1)</script>\n```",
]


def inert(html: str) -> bool:
    lowered = html.lower()
    tags = re.findall(r"<\s*([a-z0-9]+)([^>]*)>", lowered)
    dangerous_tags = {"script", "iframe", "object", "embed", "svg", "math", "style", "form",
                      "input", "meta", "body", "details", "div"}  # fmt: skip
    for name, attributes in tags:
        if name in dangerous_tags or re.search(r"\bon[a-z]+\s*=", attributes):
            return False
        if re.search(r"(href|src)\s*=\s*\"?\s*(javascript|vbscript|data):", attributes):
            return False
    return True


@pytest.mark.parametrize("payload", PAYLOADS)
def test_classic_xss_payloads_come_back_inert(payload: str) -> None:
    html = RENDERER.render(payload)
    assert inert(html), html


def test_the_checker_itself_catches_live_markup() -> None:
    assert not inert('<img src=x onerror="alert(1)">')
    assert not inert('<a href="javascript:alert(1)">x</a>')
    assert not inert("<script>alert(1)</script>")


def test_ordinary_markdown_keeps_its_formatting_and_safe_links() -> None:
    html = RENDERER.render(
        "# Title\n\n**bold** _it_ `code` ~~gone~~\n\n- one\n\n[docs](https://docs.example/x)"
    )
    assert "<h1>Title</h1>" in html
    assert "<strong>bold</strong>" in html
    assert "<code>code</code>" in html
    assert "<s>gone</s>" in html
    assert (
        '<a href="https://docs.example/x" rel="nofollow noopener noreferrer ugc">docs</a>' in html
    )


def test_raw_html_is_shown_as_text_not_run() -> None:
    assert "&lt;b&gt;hi&lt;/b&gt;" in RENDERER.render("<b>hi</b>")
