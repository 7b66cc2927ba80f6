"""The forum\x27s pure rules: boards, threads and posts, reactions, moderation, the spam guard."""
