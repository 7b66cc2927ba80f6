from __future__ import annotations

from cmh.forum.domain.mentions import mentioned_handles


def test_handles_are_found_once_and_not_in_emails_or_code() -> None:
    markdown = (
        "Hi @Ben.Smith and @cy_2, see `@notme` and mail ana@example.com.\n"
        "```\n@nor\n```\n@ben.smith"
    )
    assert mentioned_handles(markdown) == ("ben.smith", "cy_2")
