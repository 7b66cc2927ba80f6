// A course: its outline, enrolling (or the way to a plan that allows it) and the progress.
import { html } from "lit-html";
import { api, describe, type Schemas } from "../api/client";
import { route } from "../router";
import { session } from "../session";
import { alert, percent } from "../ui";
import { boardPath } from "./forum";

type Course = Schemas["CourseView"];
type Progress = Schemas["ProgressView"];

export function lessonPath(courseId: string, lessonId: string): string {
  return `/courses/${courseId}/lessons/${lessonId}`;
}

route("/courses/:course", "Course", async (ctx) => {
  const { data: course, error } = await api.GET("/api/v1/courses/{course_id}", {
    params: { path: { course_id: ctx.params.course } },
  });
  if (!course) return ctx.show(html`<h1>Course</h1>${alert(describe(error))}`);
  document.title = `${course.title} · CloudMastersHub`;
  let progress: Progress | null = null;
  if (session.signedIn) {
    const { data: mine } = await api.GET("/api/v1/enrollments/me");
    progress = mine?.items.find((e) => e.course_id === course.id)?.progress ?? null;
  }
  const view = (message: string | null = null, upgrade = false) =>
    ctx.show(html`<h1>${course.title}</h1>
      <p>${course.summary}</p>
      <p class="meta">${course.provider.toUpperCase()} · ${course.level} · ${course.estimated_minutes} min</p>
      ${progress ? percent(progress.percentage) : enrollButton()}
      ${alert(message)}
      ${upgrade ? html`<p><a class="button" href="/billing">Upgrade to Pro</a> to take this course.</p>` : ""}
      ${progress?.completed_at ? html`<p role="status" class="ok">Course completed.</p>` : ""}
      ${outline(course, progress)}
      <p><a href=${boardPath(course.id)}>Discussion</a></p>`);
  const enrollButton = () =>
    session.signedIn
      ? html`<button type="button" @click=${enroll}>Enroll</button>`
      : html`<p><a class="button" href=${`/login?next=/courses/${course.id}`}>Sign in to enroll</a></p>`;
  async function enroll() {
    const { data, error, response } = await api.POST("/api/v1/courses/{course_id}/enrollments", {
      params: { path: { course_id: course!.id } },
    });
    if (data) {
      progress = data.progress;
      return view("You are enrolled.");
    }
    // 403: the learner's plan does not include this course.
    view(describe(error), response.status === 403);
  }
  view();
});

function outline(course: Course, progress: Progress | null) {
  const done = new Set(progress?.completed_lessons ?? []);
  return html`<h2>Outline</h2>
    ${course.modules.map(
      (module) => html`<section class="module">
        <h3>${module.title}</h3>
        <ol>
          ${module.lessons.map(
            (lesson) => html`<li>
              ${progress ? html`<a href=${lessonPath(course.id, lesson.id)}>${lesson.title}</a>` : lesson.title}
              <span class="meta">${lesson.kind} · ${lesson.duration_minutes} min</span>
              ${done.has(lesson.id) ? html`<span class="done" aria-label="completed">✓</span>` : ""}
            </li>`,
          )}
        </ol>
      </section>`,
    )}`;
}
