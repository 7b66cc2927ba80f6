// The course player: one lesson at a time beside the outline. Video lessons resume where the
// learner left off (the position is saved while playing and on pause); text lessons show
// their blocks; lab and quiz lessons lead to the lab and the quiz.
import { html, nothing, type TemplateResult } from "lit-html";
import { api, describe, type Schemas } from "../api/client";
import { navigate, route, type PageContext } from "../router";
import { alert, percent } from "../ui";
import { lessonPath } from "./course";
import { requireSignIn } from "./guard";

type Progress = Schemas["ProgressView"];
type Lesson = Schemas["LessonView"];
type Block = Schemas["ContentBlock"];
const SAVE_EVERY_SECONDS = 5;

route("/courses/:course/lessons/:lesson", "Lesson", async (ctx) => {
  if (!(await requireSignIn())) return;
  const course_id = ctx.params.course;
  const lesson_id = ctx.params.lesson;
  const path = { course_id, lesson_id };
  const [{ data: course }, { data: content, error: contentError }, { data: initial }] = await Promise.all([
    api.GET("/api/v1/courses/{course_id}", { params: { path: { course_id } } }),
    api.GET("/api/v1/courses/{course_id}/lessons/{lesson_id}/content", { params: { path } }),
    api.GET("/api/v1/courses/{course_id}/progress", { params: { path: { course_id } } }),
  ]);
  if (!course || !initial) return ctx.show(html`<h1>Lesson</h1>${alert(describe(contentError))}`);
  let progress: Progress = initial;
  const lessons = course.modules.flatMap((m) => m.lessons);
  const index = lessons.findIndex((l) => l.id === lesson_id);
  const lesson = lessons[index];
  if (!lesson) return ctx.show(html`<h1>Lesson</h1>${alert("This lesson is not in the course.")}`);
  document.title = `${lesson.title} · ${course.title}`;
  let body: TemplateResult | typeof nothing = nothing;
  let message: string | null = null;

  if (lesson.kind === "video") {
    const { data: playback, error } = await api.GET("/api/v1/courses/{course_id}/lessons/{lesson_id}/playback", {
      params: { path },
    });
    body = playback ? video(playback.url, progress.positions[lesson_id] ?? 0) : alert(describe(error));
  } else if (lesson.kind === "text") {
    body = html`<article class="lesson-text">${(content?.blocks ?? []).map(block)}</article>`;
  } else if (lesson.kind === "lab") {
    body = html`<p>This lesson is a hands-on lab in a real cloud account.</p>
      <button type="button" @click=${launchLab}>Launch the lab</button>`;
  } else if (lesson.kind === "quiz") {
    body = html`<p>This lesson is a quiz.</p><button type="button" @click=${startQuiz}>Start the quiz</button>`;
  }

  const view = () =>
    ctx.show(html`<div class="player">
      <nav aria-label="Course outline" class="outline">
        <p><a href=${`/courses/${course_id}`}>${course.title}</a></p>
        ${percent(progress.percentage)}
        <ol>
          ${lessons.map(
            (l) => html`<li>
              <a href=${lessonPath(course_id, l.id)} aria-current=${l.id === lesson_id ? "page" : nothing}>${l.title}</a>
              ${progress.completed_lessons.includes(l.id) ? html`<span class="done" aria-label="completed">✓</span>` : ""}
            </li>`,
          )}
        </ol>
      </nav>
      <section class="lesson" aria-labelledby="lesson-title">
        <h1 id="lesson-title">${lesson.title}</h1>
        ${body}
        ${alert(message)}
        ${progress.completed_at ? html`<p role="status" class="ok">Course completed. Well done!</p>` : ""}
        <p class="actions">
          ${completable(lesson) && !progress.completed_lessons.includes(lesson_id)
            ? html`<button type="button" @click=${complete}>Mark as complete</button>`
            : progress.completed_lessons.includes(lesson_id)
              ? html`<span class="ok">Lesson completed</span>`
              : ""}
          ${lessons[index + 1]
            ? html`<a class="button secondary" href=${lessonPath(course_id, lessons[index + 1].id)}>Next lesson</a>`
            : ""}
        </p>
      </section>
    </div>`);

  function video(url: string, resumeAt: number) {
    let lastSaved = resumeAt;
    const save = async (player: HTMLVideoElement) => {
      const seconds = Math.floor(player.currentTime);
      if (seconds === lastSaved) return;
      lastSaved = seconds;
      const { data } = await api.PUT("/api/v1/courses/{course_id}/lessons/{lesson_id}/position", {
        params: { path },
        body: { seconds },
      });
      if (data) progress = data;
    };
    return html`<video
      controls
      preload="metadata"
      src=${url}
      aria-label=${`Video: ${lesson!.title}`}
      data-resume=${resumeAt}
      @loadedmetadata=${(e: Event) => ((e.currentTarget as HTMLVideoElement).currentTime = resumeAt)}
      @timeupdate=${(e: Event) => {
        const player = e.currentTarget as HTMLVideoElement;
        if (Math.abs(player.currentTime - lastSaved) >= SAVE_EVERY_SECONDS) void save(player);
      }}
      @pause=${(e: Event) => void save(e.currentTarget as HTMLVideoElement)}
      @ended=${() => void complete()}
    ></video>
    ${resumeAt ? html`<p class="meta">Resuming at ${resumeAt}s.</p>` : ""}`;
  }

  async function complete() {
    const { data, error } = await api.POST("/api/v1/courses/{course_id}/lessons/{lesson_id}/complete", {
      params: { path },
    });
    message = data ? null : describe(error);
    if (data) progress = data;
    view();
  }

  async function launchLab() {
    const { error, response } = await api.POST("/api/v1/courses/{course_id}/lessons/{lesson_id}/lab", {
      params: { path },
    });
    // The 202's body is not in the OpenAPI document: the session is found in the list.
    if (response.ok || response.status === 409) {
      const { data: sessions } = await api.GET("/api/v1/labs/sessions/me");
      const latest = (sessions ?? [])
        .filter((s) => s.course_id === course_id && !["ended", "failed"].includes(s.status))
        .sort((a, b) => b.requested_at.localeCompare(a.requested_at))[0];
      if (latest) return navigate(`/labs/${latest.id}`);
      if (response.ok) return navigate("/labs");
    }
    message = describe(error);
    if (response.status === 403) message += " — see the plans on the Billing page.";
    view();
  }

  async function startQuiz() {
    await startQuizOf(ctx, path, (text) => {
      message = text;
      view();
    });
  }
  view();
});

export async function startQuizOf(
  _ctx: PageContext,
  path: { course_id: string; lesson_id: string },
  fail: (message: string) => void,
): Promise<void> {
  const { data: quiz, error } = await api.GET("/api/v1/courses/{course_id}/lessons/{lesson_id}/quiz", {
    params: { path },
  });
  if (!quiz) return fail(describe(error));
  const { data: attempt, error: refused } = await api.POST("/api/v1/assessments/quizzes/{quiz_id}/attempts", {
    params: { path: { quiz_id: quiz.id } },
  });
  if (!attempt) return fail(describe(refused));
  navigate(`/assessments/attempts/${attempt.id}`);
}

function completable(lesson: Lesson): boolean {
  return lesson.kind === "video" || lesson.kind === "text";
}

function block(item: Block): TemplateResult {
  switch (item.kind) {
    case "heading":
      return html`<h2>${item.text}</h2>`;
    case "code":
      return html`<pre tabindex="0"><code class=${item.language ? `language-${item.language}` : nothing}>${item.text}</code></pre>`;
    case "image":
      return item.url ? html`<img src=${item.url} alt=${item.text} />` : html``;
    case "link":
      return html`<p><a href=${item.url ?? "#"}>${item.text || item.url}</a></p>`;
    default:
      return html`<p>${item.text}</p>`;
  }
}
