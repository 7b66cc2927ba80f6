// My learning: the signed-in learner's courses with their progress, each with the way on
// (the next lesson not yet completed), and the learner's streak and time from analytics.
import { html, nothing } from "lit-html";
import { api, type Schemas } from "../api/client";
import { route } from "../router";
import { percent, when } from "../ui";
import { lessonPath } from "./course";
import { requireSignIn } from "./guard";

type Enrollment = Schemas["EnrollmentView"];
type Course = Schemas["CourseView"];

route("/learning", "My learning", async (ctx) => {
  if (!(await requireSignIn())) return;
  const [{ data: mine }, { data: stats }] = await Promise.all([
    api.GET("/api/v1/enrollments/me"),
    api.GET("/api/v1/analytics/me/dashboard"),
  ]);
  if (!mine) return ctx.show(html`<h1>My learning</h1><p role="alert" class="error">Your courses are not available.</p>`);
  // The outlines, for the next lesson of each course.
  const courses = await Promise.all(
    mine.items.map((e) =>
      api.GET("/api/v1/courses/{course_id}", { params: { path: { course_id: e.course_id } } }).then(({ data }) => data),
    ),
  );
  ctx.show(html`<h1>My learning</h1>
    ${stats
      ? html`<dl class="facts">
          <dt>Streak</dt><dd>${stats.current_streak_days} ${stats.current_streak_days === 1 ? "day" : "days"} (longest ${stats.longest_streak_days})</dd>
          <dt>Time spent</dt><dd>${stats.time_spent_minutes} min</dd>
          ${stats.quiz_average_percent !== null ? html`<dt>Quiz average</dt><dd>${Math.round(stats.quiz_average_percent)}%</dd>` : nothing}
        </dl>`
      : nothing}
    ${mine.items.length
      ? html`<ul class="cards">${mine.items.map((e, i) => card(e, courses[i]))}</ul>`
      : html`<p>No courses yet. <a href="/courses">Find one in the catalog</a>.</p>`}`);
});

function card(enrollment: Enrollment, course: Course | undefined) {
  const progress = enrollment.progress;
  const done = new Set(progress.completed_lessons);
  const next = course?.modules.flatMap((m) => m.lessons).find((l) => !done.has(l.id));
  return html`<li class="card">
    <h2><a href=${`/courses/${enrollment.course_id}`}>${enrollment.course_title}</a></h2>
    ${percent(progress.percentage)}
    <p class="meta">Enrolled ${when(enrollment.enrolled_at)}${progress.completed_at ? ` · completed ${when(progress.completed_at)}` : ""}</p>
    <p class="actions">
      ${progress.completed_at
        ? html`<span class="ok">Course completed.</span>`
        : next
          ? html`<a class="button" href=${lessonPath(enrollment.course_id, next.id)}
              aria-label=${`Continue: ${next.title} (${enrollment.course_title})`}>Continue: ${next.title}</a>`
          : nothing}
      <a href=${`/forum/courses/${enrollment.course_id}`} aria-label=${`Discussion of ${enrollment.course_title}`}>Discussion</a>
    </p>
  </li>`;
}
