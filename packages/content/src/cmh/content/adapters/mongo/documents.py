"""MongoDB collection names. An asset document is ``asset_documents.to_document`` plus
``_id``, ``version`` and ``outbox`` (owned by the unit of work and the relay)."""

from __future__ import annotations

ASSETS = "assets"
INBOX = "inbox"
