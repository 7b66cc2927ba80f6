// Labs: the learner's sessions and lab hours, and one session live: its status while it
// provisions (polled), the credentials with copy buttons and a CLI snippet, the time left
// and the cost so far, validation with each task's result and hint, extend and end.
import { html, nothing } from "lit-html";
import { api, describe, type Schemas } from "../api/client";
import { route } from "../router";
import { alert, when } from "../ui";
import { requireSignIn } from "./guard";

type Session = Schemas["labs_application_views_SessionView"];
type Validation = Schemas["ValidationView"];
const SETTLING = new Set(["requested", "provisioning", "tearing_down"]);
const LIVE = new Set(["ready", "expiring"]);
const POLL_MS = 1500;

route("/labs", "Labs", async (ctx) => {
  if (!(await requireSignIn())) return;
  const [{ data: sessions }, { data: hours }] = await Promise.all([
    api.GET("/api/v1/labs/sessions/me"),
    api.GET("/api/v1/labs/hours/me"),
  ]);
  ctx.show(html`<h1>Labs</h1>
    ${hours
      ? html`<p>Lab hours this period: ${hours.consumed_hours} used, ${hours.remaining_hours} left.</p>`
      : nothing}
    ${sessions?.length
      ? html`<div class="table-wrap"><table>
          <caption class="visually-hidden">Your lab sessions</caption>
          <thead><tr><th scope="col">Session</th><th scope="col">Cloud</th><th scope="col">Status</th><th scope="col">Started</th><th scope="col">Cost</th></tr></thead>
          <tbody>
            ${sessions.map(
              (s) => html`<tr>
                <td><a href=${`/labs/${s.id}`}>Open lab ${s.id.slice(0, 8)}</a></td>
                <td>${s.provider.toUpperCase()}</td>
                <td>${s.status}</td>
                <td>${when(s.requested_at)}</td>
                <td>$${s.cost_usd}</td>
              </tr>`,
            )}
          </tbody>
        </table></div>`
      : html`<p>No labs yet: launch one from a lab lesson of a course.</p>`}`);
});

route("/labs/:session", "Lab", async (ctx) => {
  if (!(await requireSignIn())) return;
  const session_id = ctx.params.session;
  let session: Session | undefined;
  let validation: Validation | null = null;
  let message: string | null = null;
  let copied = "";
  let polling: number | undefined;
  const ticking = window.setInterval(() => session && LIVE.has(session.status) && view(), 1000);
  ctx.onLeave(() => {
    window.clearInterval(ticking);
    window.clearTimeout(polling);
  });

  async function load() {
    const { data, error } = await api.GET("/api/v1/labs/sessions/{session_id}", { params: { path: { session_id } } });
    if (!data) message = describe(error);
    else session = data;
    view();
    if (ctx.active && session && SETTLING.has(session.status)) polling = window.setTimeout(load, POLL_MS);
  }

  async function validate() {
    const { data, error } = await api.POST("/api/v1/labs/sessions/{session_id}/validate", {
      params: { path: { session_id } },
    });
    validation = data ?? null;
    message = data ? null : describe(error);
    view();
  }

  async function extend() {
    const { data, error } = await api.POST("/api/v1/labs/sessions/{session_id}/extend", {
      params: { path: { session_id } },
      body: { minutes: 30 },
    });
    message = data ? "Extended by 30 minutes." : describe(error);
    await load();
  }

  async function end() {
    const { error, response } = await api.DELETE("/api/v1/labs/sessions/{session_id}", {
      params: { path: { session_id } },
    });
    message = response.ok ? "Ending the lab…" : describe(error);
    await load();
  }

  async function copy(label: string, value: string) {
    await navigator.clipboard.writeText(value).catch(() => undefined);
    copied = label;
    view();
  }

  function view() {
    if (!session) return ctx.show(html`<h1>Lab</h1>${alert(message)}`);
    const s = session;
    const live = LIVE.has(s.status);
    ctx.show(html`<h1>Lab on ${s.provider.toUpperCase()}</h1>
      <p>Status: <strong role="status" data-status=${s.status}>${s.status}</strong>
        ${SETTLING.has(s.status) ? html`<span class="meta">(updating…)</span>` : nothing}</p>
      <dl class="facts">
        <dt>Region</dt><dd>${s.region}</dd>
        <dt>Time left</dt><dd>${live ? countdown(s.expires_at) : "—"}</dd>
        <dt>Cost so far</dt><dd>$${s.cost_usd} of $${s.budget_cap_usd}</dd>
        <dt>Score</dt><dd>${s.score} / ${s.max_score}</dd>
      </dl>
      ${s.credentials && live ? credentials(s) : nothing}
      ${alert(message, message?.startsWith("Extended") || message?.startsWith("Ending") ? "ok" : "error")}
      ${live
        ? html`<p class="actions">
            <button type="button" @click=${validate}>Validate</button>
            <button type="button" class="secondary" @click=${extend}>Extend 30 minutes</button>
            <button type="button" class="secondary" @click=${end}>End lab</button>
          </p>`
        : nothing}
      ${validation ? results(validation) : nothing}
      ${s.reason ? html`<p class="meta">${s.reason}</p>` : nothing}`);

    function credentials(lab: Session) {
      const c = lab.credentials!;
      const snippet = [
        `export AWS_ACCESS_KEY_ID=${c.access_key_id}`,
        `export AWS_SECRET_ACCESS_KEY=${c.secret_access_key}`,
        `export AWS_SESSION_TOKEN=${c.session_token}`,
        `export AWS_DEFAULT_REGION=${lab.region}`,
        lab.endpoint ? `aws --endpoint-url ${lab.endpoint} s3 ls` : "aws s3 ls",
      ].join("\n");
      const row = (label: string, value: string) => html`<tr>
        <th scope="row">${label}</th><td><code>${value}</code></td>
        <td><button type="button" class="secondary" aria-label=${`Copy ${label}`} @click=${() => copy(label, value)}>Copy</button></td>
      </tr>`;
      return html`<h2>Credentials</h2>
        <div class="table-wrap"><table>
          <caption class="visually-hidden">Credentials of the lab's account</caption>
          <tbody>
            ${row("Access key ID", c.access_key_id)} ${row("Secret access key", c.secret_access_key)}
            ${row("Session token", c.session_token)} ${lab.endpoint ? row("Endpoint", lab.endpoint) : nothing}
          </tbody>
        </table></div>
        <h2>From a terminal</h2>
        <pre tabindex="0" aria-label="CLI snippet"><code>${snippet}</code></pre>
        <button type="button" class="secondary" aria-label="Copy the CLI snippet" @click=${() => copy("CLI snippet", snippet)}>Copy</button>
        <span role="status">${copied ? `${copied} copied.` : ""}</span>`;
    }
  }
  await load();
});

function countdown(iso: string | null): string {
  if (!iso) return "—";
  const seconds = Math.max(0, Math.round((new Date(iso).getTime() - Date.now()) / 1000));
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
}

function results(validation: Validation) {
  return html`<h2>Validation: ${validation.score} of ${validation.max_score}</h2>
    <ul class="tasks">
      ${validation.tasks.map(
        (task) => html`<li class=${task.passed ? "ok" : "error"}>
          ${task.passed ? "Passed" : "Not yet"}: ${task.title} (${task.points} pts)
          ${!task.passed && task.hint ? html`<div class="meta">Hint: ${task.hint}</div>` : nothing}
        </li>`,
      )}
    </ul>`;
}
