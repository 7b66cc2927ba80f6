"""A thread: its opening post and replies nested one level, with edit history, soft
deletion, reactions, the accepted answer, followers and moderation flags.

Text arrives already rendered (``Text``: the Markdown and its sanitised HTML) and mentions
already resolved to user ids: rendering and the user directory are the application's."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from cmh.forum.domain.actor import Actor
from cmh.forum.domain.board import Board, _require_moderator, _require_reason
from cmh.forum.domain.errors import InvalidPost, NotAllowed, PostNotFound, ThreadLocked
from cmh.forum.domain.events import (
    AnswerAccepted,
    ModerationAudited,
    PostEdited,
    PostRemoved,
    ReplyPosted,
    ThreadStarted,
    UserMentioned,
)
from cmh.kernel.domain_events import recorded_events

TITLE_LENGTH = (3, 200)
BODY_LENGTH = (1, 20_000)
REACTIONS = frozenset({"like", "helpful", "insightful", "thanks"})


@dataclass(frozen=True, slots=True)
class Text:
    markdown: str
    html: str


@dataclass(frozen=True, slots=True)
class Revision:
    """What a post said before an edit."""

    body: str
    edited_at: datetime
    edited_by: str


@dataclass(frozen=True, slots=True)
class Report:
    reporter_id: str
    reason: str
    at: datetime


@dataclass
class Post:
    id: str
    author_id: str
    body: Text
    created_at: datetime
    parent_id: str | None = None
    by_instructor: bool = False
    mentions: tuple[str, ...] = ()
    history: list[Revision] = field(default_factory=list)
    edited_at: datetime | None = None
    deleted_at: datetime | None = None
    deleted_by: str | None = None
    hidden: bool = False
    reactions: dict[str, set[str]] = field(default_factory=dict)
    reports: list[Report] = field(default_factory=list)

    @property
    def visible(self) -> bool:
        return self.deleted_at is None and not self.hidden


@dataclass
class Thread:
    id: str
    board_id: str
    course_id: str | None
    author_id: str
    title: str
    created_at: datetime
    last_activity_at: datetime
    posts: list[Post]
    locked: bool = False
    pinned: bool = False
    accepted_post_id: str | None = None
    followers: set[str] = field(default_factory=set)
    # Optimistic concurrency of the stored copy (0: never stored).
    version: int = field(default=0, compare=False)
    events: list[object] = recorded_events()

    # ------------------------------------------------------------ posting

    @classmethod
    def start(
        cls,
        *,
        thread_id: str,
        post_id: str,
        board: Board,
        author: Actor,
        title: str,
        body: Text,
        mentions: tuple[str, ...],
        now: datetime,
    ) -> Thread:
        board.ensure_may_post(author, now)
        title = _checked_title(title)
        _check_body(body)
        opening = Post(
            id=post_id,
            author_id=author.user_id,
            body=body,
            created_at=now,
            by_instructor=author.instructor,
            mentions=mentions,
        )
        thread = cls(
            id=thread_id,
            board_id=board.id,
            course_id=board.course_id,
            author_id=author.user_id,
            title=title,
            created_at=now,
            last_activity_at=now,
            posts=[opening],
            followers={author.user_id},
        )
        thread.events.append(
            ThreadStarted(
                thread_id=thread_id,
                post_id=post_id,
                board_id=board.id,
                course_id=board.course_id,
                author_id=author.user_id,
                title=title,
                body=body.markdown,
                at=now,
            )
        )
        thread._mention(opening, mentions, now)
        return thread

    @property
    def opening(self) -> Post:
        return self.posts[0]

    def reply(
        self,
        *,
        post_id: str,
        board: Board,
        author: Actor,
        body: Text,
        mentions: tuple[str, ...],
        parent_id: str | None,
        now: datetime,
    ) -> Post:
        """A reply to the thread (``parent_id`` None or the opening post) or to a reply; a
        reply to a nested reply joins its parent's branch: nesting stops at one level."""
        board.ensure_may_post(author, now)
        if self.locked and not author.moderator:
            raise ThreadLocked("this thread is locked")
        _check_body(body)
        parent = self.opening
        if parent_id is not None and parent_id != self.opening.id:
            parent = self.post(parent_id, field_name="parent_id")
            if parent.parent_id is not None and parent.parent_id != self.opening.id:
                parent = self.post(parent.parent_id)
        post = Post(
            id=post_id,
            author_id=author.user_id,
            body=body,
            created_at=now,
            parent_id=parent.id,
            by_instructor=author.instructor,
            mentions=mentions,
        )
        self.posts.append(post)
        self.last_activity_at = now
        self.events.append(
            ReplyPosted(
                thread_id=self.id,
                post_id=post_id,
                parent_id=parent.id,
                board_id=self.board_id,
                course_id=self.course_id,
                author_id=author.user_id,
                thread_author_id=self.author_id,
                body=body.markdown,
                at=now,
            )
        )
        self._mention(post, mentions, now)
        return post

    def post(self, post_id: str, *, field_name: str | None = None) -> Post:
        for post in self.posts:
            if post.id == post_id and post.deleted_at is None:
                return post
        # An unknown id is a 404 (like any unknown object), naming the field that held it.
        raise PostNotFound(f"no post {post_id} in this thread", field=field_name)

    def edit(
        self,
        *,
        post_id: str,
        editor: Actor,
        body: Text,
        title: str | None,
        mentions: tuple[str, ...],
        now: datetime,
    ) -> Post:
        post = self.post(post_id)
        if post.author_id != editor.user_id and not editor.moderator:
            raise NotAllowed("only the author or a moderator edits a post")
        if self.locked and not editor.moderator:
            raise ThreadLocked("this thread is locked")
        _check_body(body)
        if title is not None:
            if post is not self.opening:
                raise InvalidPost("only a thread's first post has a title", field="title")
            self.title = _checked_title(title)
        post.history.append(
            Revision(body=post.body.markdown, edited_at=now, edited_by=editor.user_id)
        )
        post.body = body
        post.edited_at = now
        new_mentions = tuple(m for m in mentions if m not in post.mentions)
        post.mentions = tuple(dict.fromkeys((*post.mentions, *mentions)))
        self.events.append(
            PostEdited(
                thread_id=self.id,
                post_id=post.id,
                board_id=self.board_id,
                title=self.title if post is self.opening else "",
                body=body.markdown,
                at=now,
            )
        )
        self._mention(post, new_mentions, now)
        return post

    def delete(self, *, post_id: str, actor: Actor, reason: str, now: datetime) -> None:
        """Soft delete: the post stays stored, its text is no longer shown."""
        post = self.post(post_id)
        if post.author_id != actor.user_id:
            _require_moderator(actor)
            _require_reason(reason)
        post.deleted_at = now
        post.deleted_by = actor.user_id
        if self.accepted_post_id == post.id:
            self.accepted_post_id = None
        self.events.append(
            PostRemoved(thread_id=self.id, post_id=post.id, board_id=self.board_id, at=now)
        )
        if post.author_id != actor.user_id:
            self._audit("delete", post.id, actor, reason, now)

    # ------------------------------------------------------------ community

    def react(self, *, post_id: str, user_id: str, kind: str) -> bool:
        """Adds ``user_id``'s reaction of ``kind`` (one per user per kind); False if it was
        already there."""
        if kind not in REACTIONS:
            raise InvalidPost(f"a reaction is one of {sorted(REACTIONS)}", field="kind")
        users = self.post(post_id).reactions.setdefault(kind, set())
        if user_id in users:
            return False
        users.add(user_id)
        return True

    def unreact(self, *, post_id: str, user_id: str, kind: str) -> None:
        self.post(post_id).reactions.get(kind, set()).discard(user_id)

    def may_accept(self, actor: Actor) -> bool:
        """Whoever may mark a reply as the answer: the thread's author, an instructor."""
        return actor.user_id == self.author_id or actor.moderator

    def accept(self, *, post_id: str, actor: Actor, now: datetime) -> None:
        if not self.may_accept(actor):
            raise NotAllowed("only the thread's author or an instructor accepts an answer")
        post = self.post(post_id)
        if post is self.opening:
            raise InvalidPost("the question cannot be its own answer", field="post_id")
        if not post.visible:
            raise PostNotFound(f"no post {post_id}")
        if self.accepted_post_id == post.id:
            return
        self.accepted_post_id = post.id
        self.events.append(
            AnswerAccepted(
                thread_id=self.id,
                post_id=post.id,
                board_id=self.board_id,
                answer_author_id=post.author_id,
                accepted_by=actor.user_id,
                at=now,
            )
        )

    def follow(self, user_id: str) -> None:
        self.followers.add(user_id)

    def unfollow(self, user_id: str) -> None:
        self.followers.discard(user_id)

    def anonymise(self, user_id: str, placeholder: str) -> None:
        """The user asked to be erased: their posts stay, attributed to nobody."""
        if self.author_id == user_id:
            self.author_id = placeholder
        for post in self.posts:
            if post.author_id == user_id:
                post.author_id = placeholder
            post.history = [
                Revision(
                    r.body, r.edited_at, placeholder if r.edited_by == user_id else r.edited_by
                )
                for r in post.history
            ]
            post.mentions = tuple(m for m in post.mentions if m != user_id)
            for users in post.reactions.values():
                users.discard(user_id)
            post.reports = [r for r in post.reports if r.reporter_id != user_id]
        self.followers.discard(user_id)

    # ------------------------------------------------------------ moderation

    def report(self, *, post_id: str, reporter: Actor, reason: str, now: datetime) -> None:
        _require_reason(reason)
        post = self.post(post_id)
        if any(r.reporter_id == reporter.user_id for r in post.reports):
            return
        post.reports.append(Report(reporter_id=reporter.user_id, reason=reason, at=now))

    def hide(self, *, post_id: str, moderator: Actor, reason: str, now: datetime) -> None:
        self._moderate(moderator, reason)
        post = self.post(post_id)
        post.hidden = True
        self.events.append(
            PostRemoved(thread_id=self.id, post_id=post.id, board_id=self.board_id, at=now)
        )
        self._audit("hide", post.id, moderator, reason, now)

    def unhide(self, *, post_id: str, moderator: Actor, reason: str, now: datetime) -> None:
        self._moderate(moderator, reason)
        post = self.post(post_id)
        post.hidden = False
        self.events.append(
            PostEdited(
                thread_id=self.id,
                post_id=post.id,
                board_id=self.board_id,
                title=self.title if post is self.opening else "",
                body=post.body.markdown,
                at=now,
            )
        )
        self._audit("unhide", post.id, moderator, reason, now)

    def lock(self, *, moderator: Actor, locked: bool, reason: str, now: datetime) -> None:
        self._moderate(moderator, reason)
        self.locked = locked
        self._audit("lock" if locked else "unlock", self.id, moderator, reason, now)

    def pin(self, *, moderator: Actor, pinned: bool, reason: str, now: datetime) -> None:
        self._moderate(moderator, reason)
        self.pinned = pinned
        self._audit("pin" if pinned else "unpin", self.id, moderator, reason, now)

    # ------------------------------------------------------------ internals

    def _moderate(self, moderator: Actor, reason: str) -> None:
        _require_moderator(moderator)
        _require_reason(reason)

    def _audit(
        self, action: str, target: str, moderator: Actor, reason: str, now: datetime
    ) -> None:
        self.events.append(
            ModerationAudited(
                board_id=self.board_id,
                action=action,
                target_id=target,
                moderator_id=moderator.user_id,
                reason=reason,
                at=now,
            )
        )

    def _mention(self, post: Post, mentioned: tuple[str, ...], now: datetime) -> None:
        for user_id in dict.fromkeys(mentioned):
            if user_id == post.author_id:
                continue
            self.events.append(
                UserMentioned(
                    thread_id=self.id,
                    post_id=post.id,
                    board_id=self.board_id,
                    author_id=post.author_id,
                    mentioned_user_id=user_id,
                    at=now,
                )
            )


def _checked_title(title: str) -> str:
    title = " ".join(title.split())
    low, high = TITLE_LENGTH
    if not low <= len(title) <= high:
        raise InvalidPost(f"a title has {low} to {high} characters", field="title")
    return title


def _check_body(body: Text) -> None:
    low, high = BODY_LENGTH
    if not low <= len(body.markdown.strip()) <= high:
        raise InvalidPost(f"a body has {low} to {high} characters", field="body")
