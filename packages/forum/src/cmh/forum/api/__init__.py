"""The Forum HTTP API: hand ``FORUM_ROUTES`` to the kernel's ``create_http_app``."""

from __future__ import annotations

from cmh.forum.api.forum import (
    BoardsController,
    PostsController,
    SearchController,
    ThreadsController,
)
from cmh.forum.api.moderation import ModerationController

FORUM_ROUTES = [
    BoardsController,
    ThreadsController,
    PostsController,
    SearchController,
    ModerationController,
]

__all__ = ["FORUM_ROUTES"]
