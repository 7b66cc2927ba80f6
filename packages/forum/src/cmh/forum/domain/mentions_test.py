from __future__ import annotations

from cmh.forum.domain.mentions import mentioned_handles


def test_handles_are_found_once_and_not_in_emails_or_code() -> None:
    markdown = (
        "Hi @Ben.Smith and @cy_2, see `@notme` and mail ana@example.com.\n"
        "```\n@nor\n```\n@ben.smith"
    )
    assert mentioned_handles(markdown) == ("ben.smith", "cy_2")


def test_an_email_address_after_the_at_sign_is_one_handle() -> None:
    markdown = "Thanks @Ben@Example.com. And @ana@example.org, not ana@example.net"
    assert mentioned_handles(markdown) == ("ben@example.com", "ana@example.org")
