"""Forum and community: course boards, threads, answers, mentions, moderation, search."""
