// Admin: dead letters, read only: the messages a consumer parked after its retries, newest
// first, with why (the embedded platform keeps them; `cmh-admin dlq` replays on Kafka).
import { html } from "lit-html";
import { api, describe } from "../api/client";
import { route } from "../router";
import { alert, when } from "../ui";
import { adminNav, requireAdmin } from "./admin";

route("/admin/dead-letters", "Admin · Dead letters", async (ctx) => {
  if (!(await requireAdmin(ctx))) return;
  const { data: letters, error, response } = await api.GET("/api/v1/admin/dead-letters", {
    params: { query: { limit: 100 } },
  });
  // Only the embedded platform answers; distributed services park on Kafka's .dlq topics.
  const problem =
    response.status === 404 ? "Dead letters are on the .dlq topics here: `cmh-admin dlq list` shows them." : describe(error);
  ctx.show(html`<h1>Admin</h1>
    ${adminNav("/admin/dead-letters")}
    <h2>Dead letters</h2>
    <p class="meta">Messages a consumer gave up on after its retries, newest first (the last 100).</p>
    ${!letters
      ? alert(problem)
      : letters.length
        ? html`<ul class="cards">
            ${letters.map(
              (d) => html`<li class="card">
                <h3>${d.event_type || "Unreadable message"} <span class="meta">on ${d.topic}</span></h3>
                <dl class="facts">
                  <dt>Consumer</dt><dd>${d.consumer}</dd>
                  <dt>Parked</dt><dd>${when(d.parked_at)} after ${d.attempts} attempt${d.attempts === 1 ? "" : "s"}</dd>
                  <dt>Reason</dt><dd class="error">${d.reason}</dd>
                  <dt>Event</dt><dd><code>${d.event_id || "—"}</code> · key <code>${d.key}</code></dd>
                </dl>
                <pre tabindex="0" aria-label=${`Payload of ${d.event_id || d.key}`}>${d.payload_excerpt}</pre>
              </li>`,
            )}
          </ul>`
        : html`<p role="status">No dead letters: every message was handled.</p>`}`);
});
