// The forum: a course's board (its threads, a new thread, search), a thread (posts with
// reactions as toggles, the accepted answer, follow, report, reply with @mentions) and the
// search results. A course board is read by the course's members only.
import { html, nothing } from "lit-html";
import { api, describe, type Schemas } from "../api/client";
import { me } from "../me";
import { navigate, route } from "../router";
import { alert, formValues, when } from "../ui";
import { requireSignIn } from "./guard";

type Summary = Schemas["ThreadSummaryView"];
type Post = Schemas["PostView"];
type ThreadView = Schemas["ThreadView"];
type ReactionKind = Schemas["Reaction"]["kind"];
const REACTIONS: Array<[kind: ReactionKind, label: string]> = [
  ["like", "Like"],
  ["helpful", "Helpful"],
  ["insightful", "Insightful"],
  ["thanks", "Thanks"],
];
// Users have no usernames: a person is mentioned by email address (the API's rule).
const MENTION = /(^|[^\w.@])(@[A-Za-z0-9][A-Za-z0-9._+-]{0,62}[A-Za-z0-9](?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)/g;
const MENTION_HINT = "Mention someone with @ and their email address (@ada@example.com): they are notified.";

export function boardPath(courseId: string): string {
  return `/forum/courses/${courseId}`;
}

route("/forum/courses/:course", "Discussion", async (ctx) => {
  if (!(await requireSignIn())) return;
  const course_id = ctx.params.course;
  const [{ data: course }, { data: boards, error }] = await Promise.all([
    api.GET("/api/v1/courses/{course_id}", { params: { path: { course_id } } }),
    api.GET("/api/v1/forum/boards", { params: { query: { course_id } } }),
  ]);
  const title = `Discussion: ${course?.title ?? "course"}`;
  document.title = `${title} · CloudMastersHub`;
  const board = boards?.[0];
  if (!board) {
    return ctx.show(html`<h1>${title}</h1>
      ${error
        ? alert(describe(error))
        : html`<p>The discussion is open to the course's learners and instructors.
            <a href=${`/courses/${course_id}`}>Enroll in the course</a> to join it.</p>`}`);
  }
  let threads: Summary[] = [];
  let cursor: string | null = null;
  let message: string | null = null;

  async function more() {
    const { data, error } = await api.GET("/api/v1/forum/boards/{board_id}/threads", {
      params: { path: { board_id: board!.id }, query: cursor ? { cursor } : {} },
    });
    if (!data) message = describe(error);
    else {
      threads = [...threads, ...data.items];
      cursor = data.next_cursor;
    }
    view();
  }

  async function start(event: Event) {
    const form = event.currentTarget as HTMLFormElement;
    const { title, body } = formValues(event);
    const { data, error } = await api.POST("/api/v1/forum/boards/{board_id}/threads", {
      params: { path: { board_id: board!.id } },
      body: { title, body },
    });
    if (!data) {
      message = describe(error);
      return view();
    }
    form.reset();
    navigate(`/forum/threads/${data.id}`);
  }

  function view() {
    ctx.show(html`<h1>${title}</h1>
      <p><a href=${`/courses/${course_id}`}>Back to the course</a></p>
      ${searchForm(board!.id)}
      <h2>Threads</h2>
      ${threads.length
        ? html`<ul class="cards threads">
            ${threads.map(
              (t) => html`<li class=${`card ${t.unread ? "unread" : ""}`}>
                <h3><a href=${`/forum/threads/${t.id}`}>${t.title}</a></h3>
                <p class="meta">
                  ${t.pinned ? html`<span class="tag">Pinned</span>` : nothing}
                  ${t.answered ? html`<span class="tag answered">Answered</span>` : nothing}
                  ${t.locked ? html`<span class="tag">Locked</span>` : nothing}
                  ${t.unread ? html`<span class="tag">New activity</span>` : nothing}
                  ${t.reply_count} ${t.reply_count === 1 ? "reply" : "replies"} · last activity ${when(t.last_activity_at)}
                </p>
              </li>`,
            )}
          </ul>`
        : html`<p>No threads yet: ask the first question.</p>`}
      ${cursor ? html`<button type="button" class="secondary" @click=${more}>More threads</button>` : nothing}
      <section class="card" aria-labelledby="new-thread">
        <h2 id="new-thread">Start a thread</h2>
        <form @submit=${start}>
          <div class="field">
            <label for="f-title">Title</label>
            <input id="f-title" name="title" required minlength="3" maxlength="200" />
          </div>
          <div class="field">
            <label for="f-body">Your question or idea (Markdown)</label>
            <textarea id="f-body" name="body" required rows="5" maxlength="20000" aria-describedby="thread-hint"></textarea>
            <span id="thread-hint" class="meta">${MENTION_HINT}</span>
          </div>
          ${alert(message)}
          <button type="submit">Post thread</button>
        </form>
      </section>`);
  }
  await more();
});

route("/forum/threads/:thread", "Thread", async (ctx) => {
  if (!(await requireSignIn())) return;
  const thread_id = ctx.params.thread;
  const user = await me();
  let page: ThreadView | undefined;
  let courseId: string | null = null;
  let message: string | null = null;
  let ok = false;

  const pageOf = (cursor: string | null) =>
    api.GET("/api/v1/forum/threads/{thread_id}", {
      params: { path: { thread_id }, query: { limit: 100, ...(cursor ? { cursor } : {}) } },
    });
  // The posts, every page of them (a thread rarely has more than one).
  async function load() {
    let cursor: string | null = null;
    const posts: Post[] = [];
    do {
      const { data, error } = await pageOf(cursor);
      if (!data) {
        say(describe(error), false);
        return view();
      }
      posts.push(...data.posts);
      page = { ...data, posts };
      cursor = data.next_cursor;
    } while (cursor && ctx.active);
    view();
  }
  function say(text: string, good: boolean) {
    message = text;
    ok = good;
  }

  async function react(post: Post, kind: ReactionKind) {
    const pressed = (post.my_reactions ?? []).includes(kind);
    const { data, error } = await api.POST("/api/v1/forum/posts/{post_id}/reactions", {
      params: { path: { post_id: post.id } },
      body: { kind, remove: pressed },
    });
    if (!data) say(describe(error), false);
    else if (page) page = { ...page, posts: page.posts.map((p) => (p.id === data.id ? data : p)) };
    view();
  }

  async function accept(post: Post) {
    const { error, response } = await api.POST("/api/v1/forum/threads/{thread_id}/accept/{post_id}", {
      params: { path: { thread_id, post_id: post.id } },
    });
    if (response.ok) say("Answer accepted.", true);
    else say(describe(error), false);
    await load();
  }

  async function follow() {
    const following = page!.following;
    const params = { params: { path: { thread_id } } };
    const { error, response } = following
      ? await api.DELETE("/api/v1/forum/threads/{thread_id}/follow", params)
      : await api.POST("/api/v1/forum/threads/{thread_id}/follow", params);
    if (response.ok) say(following ? "You no longer follow this thread." : "You follow this thread.", true);
    else say(describe(error), false);
    await load();
  }

  async function report(event: Event, post: Post) {
    const form = event.currentTarget as HTMLFormElement;
    const { reason } = formValues(event);
    const { error, response } = await api.POST("/api/v1/forum/posts/{post_id}/report", {
      params: { path: { post_id: post.id } },
      body: { reason },
    });
    if (response.ok) {
      form.closest("details")?.removeAttribute("open");
      say("Thank you: the post was reported to the moderators.", true);
    } else say(describe(error), false);
    view();
  }

  // To the thread, or (parent_id) to a reply: the API nests one level.
  async function reply(event: Event, parent_id: string | null = null) {
    const form = event.currentTarget as HTMLFormElement;
    const { body } = formValues(event);
    const { data, error } = await api.POST("/api/v1/forum/threads/{thread_id}/replies", {
      params: { path: { thread_id } },
      body: { body, parent_id },
    });
    if (!data) {
      say(describe(error), false);
      return view();
    }
    form.reset();
    form.closest("details")?.removeAttribute("open");
    say("Reply posted.", true);
    await load();
  }

  function author(post: Post): string {
    if (post.author_id === user?.id) return "You";
    return post.by_instructor ? "Instructor" : `Learner ${post.author_id.slice(0, 6)}`;
  }

  function postCard(post: Post, opening: boolean, t: ThreadView) {
    const removed = post.deleted || (post.hidden && !post.body_html);
    const name = author(post);
    return html`<article id=${`post-${post.id}`} class=${`card post ${post.accepted ? "accepted" : ""}`}
      aria-label=${`${opening ? "Question" : "Reply"} by ${name}`}>
      <p class="meta">
        <strong>${name}</strong>${post.by_instructor ? html` <span class="tag">Instructor</span>` : nothing}
        · ${when(post.created_at)}${post.edits ? ` · edited` : ""}
        ${post.accepted ? html` · <strong class="ok">✓ Accepted answer</strong>` : nothing}
        ${post.hidden && !removed ? html` · <span class="tag">Hidden by a moderator</span>` : nothing}
      </p>
      ${removed ? html`<p class="meta">This post was removed.</p>` : bodyOf(post.body_html)}
      ${removed
        ? nothing
        : html`<div class="actions reactions" role="group" aria-label="Reactions">
              ${REACTIONS.map(([kind, label]) => {
                const count = post.reactions[kind] ?? 0;
                const pressed = (post.my_reactions ?? []).includes(kind);
                return html`<button type="button" class="secondary" aria-pressed=${pressed ? "true" : "false"}
                  @click=${() => react(post, kind)}>${label} <span class="count">${count}</span></button>`;
              })}
            </div>
            <div class="actions">
              ${!opening && t.may_accept && !post.accepted
                ? html`<button type="button" @click=${() => accept(post)}>Accept as answer</button>`
                : nothing}
              ${opening || t.thread.locked
                ? nothing
                : html`<details class="reply-to">
                    <summary>Reply to this</summary>
                    <form @submit=${(e: Event) => reply(e, post.id)}>
                      <div class="field">
                        <label for=${`reply-${post.id}`}>Your reply to ${name === "You" ? "yourself" : name}</label>
                        <textarea id=${`reply-${post.id}`} name="body" required rows="3" maxlength="20000"></textarea>
                      </div>
                      <button type="submit">Post reply</button>
                    </form>
                  </details>`}
              ${post.author_id === user?.id
                ? nothing
                : html`<details class="report">
                    <summary>Report</summary>
                    <form @submit=${(e: Event) => report(e, post)}>
                      <div class="field">
                        <label for=${`reason-${post.id}`}>Why should the moderators look at it?</label>
                        <input id=${`reason-${post.id}`} name="reason" required maxlength="500" />
                      </div>
                      <button type="submit" class="secondary">Send report</button>
                    </form>
                  </details>`}
            </div>`}
    </article>`;
  }

  function view() {
    if (!page) return ctx.show(html`<h1>Thread</h1>${alert(message)}`);
    const t = page;
    document.title = `${t.thread.title} · CloudMastersHub`;
    const [opening, ...replies] = t.posts;
    const top = replies.filter((p) => !p.parent_id || p.parent_id === opening?.id);
    const under = (parent: Post) => replies.filter((p) => p.parent_id === parent.id);
    ctx.show(html`<h1>${t.thread.title}</h1>
      <p class="actions">
        ${courseId ? html`<a href=${boardPath(courseId)}>Back to the discussion</a>` : nothing}
        <button type="button" class="secondary" aria-pressed=${t.following ? "true" : "false"} @click=${follow}>
          Follow thread</button>
        ${t.thread.answered ? html`<span class="tag answered">Answered</span>` : nothing}
        ${t.thread.locked ? html`<span class="tag">Locked</span>` : nothing}
      </p>
      <div role="status">${message && ok ? html`<p class="ok">${message}</p>` : nothing}</div>
      ${message && !ok ? alert(message) : nothing}
      ${opening ? postCard(opening, true, t) : nothing}
      <h2>${replies.length} ${replies.length === 1 ? "reply" : "replies"}</h2>
      <ol class="posts">
        ${top.map(
          (p) => html`<li>
            ${postCard(p, false, t)}
            ${under(p).length ? html`<ol class="nested">${under(p).map((c) => html`<li>${postCard(c, false, t)}</li>`)}</ol>` : nothing}
          </li>`,
        )}
      </ol>
      ${t.thread.locked
        ? html`<p>This thread is locked: no new replies.</p>`
        : html`<section class="card" aria-labelledby="reply-title">
            <h2 id="reply-title">Your reply</h2>
            <form @submit=${(e: Event) => reply(e)}>
              <div class="field">
                <label for="f-reply">Reply (Markdown)</label>
                <textarea id="f-reply" name="body" required rows="4" maxlength="20000" aria-describedby="reply-hint"></textarea>
                <span id="reply-hint" class="meta">${MENTION_HINT}</span>
              </div>
              <button type="submit">Post reply</button>
            </form>
          </section>`}`);
  }

  await load();
  if (page) {
    // The board's course, for the way back (the reader's boards include it).
    const { data: boards } = await api.GET("/api/v1/forum/boards");
    courseId = boards?.find((b) => b.id === page!.thread.board_id)?.course_id ?? null;
    view();
  }
});

route("/forum/search", "Forum search", async (ctx) => {
  if (!(await requireSignIn())) return;
  const q = ctx.query.get("q")?.trim() ?? "";
  const board = ctx.query.get("board") ?? undefined;
  if (q.length < 2) {
    return ctx.show(html`<h1>Forum search</h1>${searchForm(board, q)}<p>Type at least two letters.</p>`);
  }
  const { data, error } = await api.GET("/api/v1/forum/search", {
    params: { query: { q, ...(board ? { board_id: board } : {}) } },
  });
  const hits = data?.items ?? [];
  // One entry per thread (best hit first), leading to its best matching post.
  const threads = new Map<string, { first: (typeof hits)[number]; count: number }>();
  for (const hit of hits) {
    const seen = threads.get(hit.thread_id);
    if (seen) seen.count += 1;
    else threads.set(hit.thread_id, { first: hit, count: 1 });
  }
  ctx.show(html`<h1>Forum search</h1>
    ${searchForm(board, q)}
    ${data
      ? html`<p role="status">${hits.length} ${hits.length === 1 ? "post" : "posts"} found for “${q}”</p>
          <ul class="cards">
            ${[...threads.values()].map(
              ({ first, count }) => html`<li class="card">
                <a href=${`/forum/threads/${first.thread_id}#post-${first.post_id}`}>${first.title}</a>
                ${count > 1 ? html`<span class="meta">${count} matching posts</span>` : nothing}
              </li>`,
            )}
          </ul>`
      : alert(describe(error))}`);
});

function searchForm(board: string | undefined, q = "") {
  const search = (event: Event) => {
    const { q } = formValues(event);
    const query = new URLSearchParams({ q, ...(board ? { board } : {}) });
    navigate(`/forum/search?${query}`);
  };
  return html`<form class="search" role="search" aria-label="Forum" @submit=${search}>
    <label class="visually-hidden" for="f-forum-q">Search the discussion</label>
    <input id="f-forum-q" name="q" type="search" minlength="2" required placeholder="Search the discussion" .value=${q} />
    <button type="submit">Search</button>
  </form>`;
}

/** The post's HTML (sanitised by the platform) with its @mentions set apart. */
function bodyOf(sanitised: string): HTMLElement {
  const body = document.createElement("div");
  body.className = "post-body";
  body.innerHTML = sanitised;
  const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
  const texts: Text[] = [];
  while (walker.nextNode()) {
    const text = walker.currentNode as Text;
    if (!text.parentElement?.closest("code, pre, a")) texts.push(text);
  }
  for (const text of texts) {
    const value = text.data;
    if (!MENTION.test(value)) continue;
    MENTION.lastIndex = 0;
    const pieces = document.createDocumentFragment();
    let last = 0;
    for (const match of value.matchAll(MENTION)) {
      const start = match.index! + match[1].length;
      pieces.append(value.slice(last, start));
      const mark = document.createElement("strong");
      mark.className = "mention";
      mark.textContent = match[2];
      pieces.append(mark);
      last = start + match[2].length;
    }
    pieces.append(value.slice(last));
    text.replaceWith(pieces);
  }
  return body;
}
