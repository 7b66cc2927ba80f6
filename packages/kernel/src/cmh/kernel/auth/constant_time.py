"""Comparing a secret the caller sent (a signature, a digest) with the expected one in
constant time, whatever characters the caller put in it.

``hmac.compare_digest`` raises TypeError on ``str`` holding non-ASCII characters, so a
query string or header carrying ``é`` would turn a refusal into a 500; comparing the
UTF-8 bytes simply answers False.
"""

from __future__ import annotations

import hmac


def constant_time_equals(expected: str, given: str) -> bool:
    # surrogatepass: any str encodes, even one holding a lone surrogate.
    return hmac.compare_digest(
        expected.encode("utf-8", "surrogatepass"), given.encode("utf-8", "surrogatepass")
    )
