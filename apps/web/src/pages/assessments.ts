// Quizzes and exams: an attempt with its server-given deadline counted down, each answer
// saved as it changes, the submission and the result; certificates with their PDF; the
// public verification page (no sign-in).
import { html, nothing, type TemplateResult } from "lit-html";
import { api, describe, type Schemas } from "../api/client";
import { route, type PageContext } from "../router";
import { alert, when } from "../ui";
import { requireSignIn } from "./guard";

type Attempt = Schemas["AttemptView"];
type Question = Schemas["AskedQuestion"];
type Answer = Schemas["AnswerBody"]["value"];
// An attempt takes answers until it is submitted, timed out or graded.
const OPEN = new Set(["started", "answering"]);

route("/assessments/attempts/:attempt", "Quiz", (ctx) => attemptPage(ctx, ctx.params.attempt));
// Proctored exams' links (the proctoring service sends the learner back here).
route("/exams/:quiz/attempts/:attempt", "Exam", (ctx) => attemptPage(ctx, ctx.params.attempt));
route("/exams/:quiz/attempts/:attempt/questions", "Exam", (ctx) => attemptPage(ctx, ctx.params.attempt));
route("/exams/:quiz/attempts/:attempt/result", "Exam result", (ctx) => attemptPage(ctx, ctx.params.attempt));

async function attemptPage(ctx: PageContext, attempt_id: string) {
  if (!(await requireSignIn())) return;
  let attempt: Attempt | undefined;
  let message: string | null = null;
  const saved = new Map<string, string>();
  const ticking = window.setInterval(tick, 1000);
  ctx.onLeave(() => window.clearInterval(ticking));

  async function load() {
    const { data, error } = await api.GET("/api/v1/assessments/attempts/{attempt_id}", {
      params: { path: { attempt_id } },
    });
    attempt = data;
    message = data ? null : describe(error);
    view();
  }

  function tick() {
    if (!attempt || !OPEN.has(attempt.status)) return;
    // Past the server's deadline the server closes and grades the attempt: ask it.
    if (Date.now() > new Date(attempt.deadline).getTime()) void load();
    else view();
  }

  async function save(question: Question, value: Answer) {
    saved.set(question.id, "Saving…");
    view();
    const { data, error } = await api.PUT("/api/v1/assessments/attempts/{attempt_id}/answers/{question_id}", {
      params: { path: { attempt_id, question_id: question.id } },
      body: { value },
    });
    saved.set(question.id, data ? "Saved" : describe(error));
    view();
  }

  async function submit() {
    const { data, error } = await api.POST("/api/v1/assessments/attempts/{attempt_id}/submit", {
      params: { path: { attempt_id } },
    });
    if (data) attempt = data;
    message = data ? null : describe(error);
    view();
  }

  function view() {
    if (!attempt) return ctx.show(html`<h1>Quiz</h1>${alert(message)}`);
    const a = attempt;
    const open = OPEN.has(a.status);
    ctx.show(html`<h1>Attempt ${a.number}</h1>
      ${a.proctoring_url && open
        ? html`<p>This exam is proctored: <a href=${a.proctoring_url}>open the proctoring session</a>.</p>`
        : nothing}
      ${open
        ? html`<p class="timer" role="timer" aria-live="off">Time left: <strong>${timeLeft(a.deadline)}</strong></p>`
        : html`<p>Status: <strong>${a.status}</strong> · submitted ${when(a.submitted_at)}</p>`}
      ${a.result ? result(a) : nothing}
      ${open
        ? html`<form @submit=${(e: Event) => (e.preventDefault(), void submit())}>
            ${a.questions.map((q, i) => question(q, i, a.answers[q.id] as Answer | undefined, saved.get(q.id), save))}
            ${alert(message)}
            <button type="submit">Submit answers</button>
          </form>`
        : alert(message)}
      <p><a href=${`/courses/${a.course_id}`}>Back to the course</a></p>`);
  }
  await load();
}

function question(
  q: Question,
  index: number,
  current: Answer | undefined,
  status: string | undefined,
  save: (q: Question, value: Answer) => void,
): TemplateResult {
  const name = `q-${q.id}`;
  const legend = html`<legend>${index + 1}. ${q.prompt} <span class="meta">(${q.points} pts)</span></legend>`;
  const statusLine = html`<p class="meta" role="status">${status ?? ""}</p>`;
  switch (q.kind) {
    case "single":
      return html`<fieldset class="card">${legend}
        ${q.choices.map(
          (c) => html`<label class="choice"><input type="radio" name=${name} .checked=${current === c.id}
            @change=${() => save(q, c.id)} /> ${c.text}</label>`,
        )}${statusLine}</fieldset>`;
    case "multiple":
      return html`<fieldset class="card">${legend}
        ${q.choices.map(
          (c) => html`<label class="choice"><input type="checkbox" name=${name} value=${c.id}
            .checked=${Array.isArray(current) && current.includes(c.id)}
            @change=${(e: Event) => save(q, checkedIn((e.target as HTMLElement).closest("fieldset")!))} /> ${c.text}</label>`,
        )}${statusLine}</fieldset>`;
    case "true_false":
      return html`<fieldset class="card">${legend}
        ${[true, false].map(
          (truth) => html`<label class="choice"><input type="radio" name=${name} .checked=${current === truth}
            @change=${() => save(q, truth)} /> ${truth ? "True" : "False"}</label>`,
        )}${statusLine}</fieldset>`;
    case "ordering":
      // The order is read from the positions typed beside each item.
      return html`<fieldset class="card">${legend}
        ${q.choices.map(
          (c, i) => html`<label class="choice"><input type="number" min="1" max=${q.choices.length} data-choice=${c.id}
            .value=${String(Array.isArray(current) ? current.indexOf(c.id) + 1 || i + 1 : i + 1)}
            @change=${(e: Event) => save(q, orderIn((e.target as HTMLElement).closest("fieldset")!))} /> ${c.text}</label>`,
        )}${statusLine}</fieldset>`;
    default:
      return html`<fieldset class="card">${legend}
        <label class="choice">Your answer
          <input type=${q.kind === "numeric" ? "number" : "text"} step="any" .value=${current === undefined ? "" : String(current)}
            @change=${(e: Event) => {
              const raw = (e.target as HTMLInputElement).value;
              save(q, q.kind === "numeric" ? Number(raw) : raw);
            }} />
        </label>${statusLine}</fieldset>`;
  }
}

function checkedIn(fieldset: Element): string[] {
  return [...fieldset.querySelectorAll<HTMLInputElement>("input:checked")].map((input) => input.value);
}

function orderIn(fieldset: Element): string[] {
  return [...fieldset.querySelectorAll<HTMLInputElement>("input[data-choice]")]
    .sort((a, b) => Number(a.value) - Number(b.value))
    .map((input) => input.dataset.choice!);
}

function timeLeft(deadline: string): string {
  const seconds = Math.max(0, Math.round((new Date(deadline).getTime() - Date.now()) / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}

function result(a: Attempt) {
  const r = a.result!;
  return html`<section class="card" aria-labelledby="result-title">
    <h2 id="result-title">Result: ${r.score} of ${r.max_score} (${r.percent}%)</h2>
    <p role="status" class=${r.passed ? "ok" : "error"}>
      ${r.passed === null ? "Waiting for review." : r.passed ? "Passed" : "Not passed"}
    </p>
    <ol>
      ${r.questions.map(
        (q) => html`<li>${q.correct ? "Correct" : "Incorrect"} (${q.earned}/${q.possible})
          ${q.explanation ? html`<span class="meta">— ${q.explanation}</span>` : nothing}</li>`,
      )}
    </ol>
    ${r.passed ? html`<p><a href="/certificates">Your certificates</a></p>` : nothing}
  </section>`;
}

route("/certificates", "Certificates", async (ctx) => {
  if (!(await requireSignIn())) return;
  const { data } = await api.GET("/api/v1/certificates/me");
  const download = async (id: string) => {
    const { data: pdf } = await api.GET("/api/v1/certificates/{file_name}", {
      params: { path: { file_name: `${id}.pdf` } },
      parseAs: "blob",
    });
    if (!pdf) return;
    const link = document.createElement("a");
    link.href = URL.createObjectURL(pdf);
    link.download = `certificate-${id}.pdf`;
    link.click();
    URL.revokeObjectURL(link.href);
  };
  ctx.show(html`<h1>Certificates</h1>
    ${data?.length
      ? html`<ul class="cards">
          ${data.map(
            (c) => html`<li class="card">
              <h2>${c.course_title}</h2>
              <p>Issued ${when(c.issued_at)} to ${c.learner_name} · ${c.status}</p>
              <p class="actions">
                <button type="button" @click=${() => download(c.id)}>Download PDF</button>
                <a href=${`/verify/${c.code}`}>Public verification page</a>
              </p>
            </li>`,
          )}
        </ul>`
      : html`<p>No certificate yet: pass a course's final exam to earn one.</p>`}`);
});

// Anyone (an employer, say) checks a certificate by its code, signed in or not.
route("/verify/:code", "Certificate verification", async (ctx) => {
  const { data, error } = await api.GET("/api/v1/certificates/verify/{code}", {
    params: { path: { code: ctx.params.code } },
  });
  if (!data) return ctx.show(html`<h1>Certificate verification</h1>${alert(describe(error))}`);
  ctx.show(html`<h1>Certificate verification</h1>
    <section class="card">
      <p role="status" class=${data.status === "valid" ? "ok" : "error"}><strong>${data.status}</strong></p>
      <dl class="facts">
        <dt>Course</dt><dd>${data.course_title ?? "—"}</dd>
        <dt>Holder</dt><dd>${data.learner_name ?? "—"}</dd>
        <dt>Issued</dt><dd>${when(data.issued_at)}</dd>
        <dt>Signature</dt><dd>${data.signature_valid === null ? "—" : data.signature_valid ? "valid" : "invalid"}</dd>
        ${data.revoked_at ? html`<dt>Revoked</dt><dd>${when(data.revoked_at)} (${data.revocation_reason})</dd>` : nothing}
      </dl>
      <p class="meta">Code ${data.code}</p>
    </section>`);
});
