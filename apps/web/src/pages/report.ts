// A course's report for its instructor: enrollments per day and the completion funnel as
// bar charts (inline SVG, each with its figures in a table as the text alternative), where
// learners stop, quiz difficulty and lab costs as tables; the CSV the API writes, downloaded.
import { html, svg, type TemplateResult } from "lit-html";
import { api, describe } from "../api/client";
import { route } from "../router";
import { alert } from "../ui";
import { requireSignIn } from "./guard";
import { teachCoursePath } from "./teach";

route("/teach/courses/:course/report", "Course report", async (ctx) => {
  if (!(await requireSignIn())) return;
  const course_id = ctx.params.course;
  const [{ data, error }, { data: course }] = await Promise.all([
    api.GET("/api/v1/analytics/courses/{course_id}/report", {
      params: { path: { course_id }, query: { format: "json" } },
    }),
    api.GET("/api/v1/courses/{course_id}", { params: { path: { course_id } } }),
  ]);
  if (!data) return ctx.show(html`<h1>Course report</h1>${alert(describe(error))}`);
  const report = data;
  const title = report.title ?? "Course";
  document.title = `Report: ${title} · CloudMastersHub`;
  let message: string | null = null;
  const lessonTitle = (id: string) =>
    course?.modules.flatMap((m) => m.lessons).find((l) => l.id === id)?.title ?? id;

  async function downloadCsv() {
    const { data: csv, error: refused, response } = await api.GET("/api/v1/analytics/courses/{course_id}/report", {
      params: { path: { course_id }, query: { format: "csv" } },
      parseAs: "blob",
    });
    if (!csv) {
      message = describe(refused);
      return view();
    }
    const named = /filename="([^"]+)"/.exec(response.headers.get("content-disposition") ?? "");
    const link = document.createElement("a");
    link.href = URL.createObjectURL(csv as Blob);
    link.download = named?.[1] ?? `course-${course_id}-report.csv`;
    link.click();
    URL.revokeObjectURL(link.href);
  }

  const view = () =>
    ctx.show(html`<h1>Report: ${title}</h1>
      <p class="actions">
        <button type="button" @click=${downloadCsv}>Download CSV</button>
        <a href=${teachCoursePath(course_id)}>Course editor</a>
      </p>
      ${alert(message)}
      ${bars("funnel", "Completion funnel", "Step", "Learners", report.funnel.map((s) => [s.step, s.learners]))}
      <p>${report.drop_off
        ? `Most learners stop at “${lessonTitle(report.drop_off.lesson_id)}” (${report.drop_off.learners} learners).`
        : "No drop-off point yet."}</p>
      ${report.enrollments.length
        ? bars("enrollments", "Enrollments per day", "Day", "Enrollments", report.enrollments.map((d) => [d.day, d.count]))
        : html`<h2>Enrollments per day</h2><p>No enrollment yet.</p>`}
      <h2>Quiz difficulty</h2>
      ${report.quiz_difficulty.length
        ? table(
            "Quiz difficulty",
            ["Item", "Kind", "Attempts", "Mean score", "Difficulty", "Pass rate"],
            report.quiz_difficulty.map((d) => [
              d.item, d.kind, String(d.attempts), `${d.mean_percent}%`, String(d.difficulty),
              d.pass_rate === null ? "—" : `${Math.round(d.pass_rate * 100)}%`,
            ]),
          )
        : html`<p>No quiz attempt yet.</p>`}
      <h2>Lab costs</h2>
      ${report.lab_costs.length
        ? table(
            "Lab costs",
            ["Lab template", "Sessions", "Hours", "Cost (USD)"],
            report.lab_costs.map((c) => [c.template_id, String(c.sessions), String(c.hours), c.cost_usd]),
          )
        : html`<p>No lab session yet.</p>`}`);
  view();
});

/** A horizontal bar chart: the SVG is an image summarised in words, the table its figures. */
function bars(id: string, heading: string, key: string, unit: string, rows: Array<[string, number]>): TemplateResult {
  const max = Math.max(1, ...rows.map(([, value]) => value));
  const rowHeight = 28;
  const labelWidth = 110;
  const width = 400;
  const summary = `${heading}: ${rows.map(([label, value]) => `${label} ${value}`).join(", ")}`;
  return html`<section aria-labelledby=${`${id}-title`} class="card">
    <h2 id=${`${id}-title`}>${heading}</h2>
    <svg class="chart" role="img" aria-label=${summary} viewBox=${`0 0 ${width} ${rows.length * rowHeight + 4}`}
      preserveAspectRatio="xMinYMin meet">
      ${rows.map(([label, value], i) => {
        const y = i * rowHeight + 2;
        const w = Math.round(((width - labelWidth - 40) * value) / max);
        return svg`<text x="0" y=${y + 18} class="chart-label">${label}</text>
          <rect x=${labelWidth} y=${y} width=${Math.max(w, 1)} height=${rowHeight - 8} class="chart-bar"></rect>
          <text x=${labelWidth + w + 6} y=${y + 18} class="chart-label">${value}</text>`;
      })}
    </svg>
    ${table(heading, [key, unit], rows.map(([label, value]) => [label, String(value)]))}
  </section>`;
}

function table(caption: string, headings: string[], rows: string[][]): TemplateResult {
  return html`<div class="table-wrap"><table>
    <caption class="visually-hidden">${caption}</caption>
    <thead><tr>${headings.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
    <tbody>${rows.map((row) => html`<tr>${row.map((cell, i) => (i === 0 ? html`<th scope="row">${cell}</th>` : html`<td>${cell}</td>`))}</tr>`)}</tbody>
  </table></div>`;
}
