// Admin: the labs at a glance: what they cost (per template or per course), every session
// (or those in one status, newest first) and each template's warm pool.
import { html } from "lit-html";
import { api, type Schemas } from "../api/client";
import { navigate, route } from "../router";
import { formValues, when } from "../ui";
import { adminNav, requireAdmin } from "./admin";

type Status = Schemas["SessionStatus"];
type Grouping = Schemas["CostGrouping"];
const STATUSES: Status[] = ["requested", "provisioning", "ready", "expiring", "tearing_down", "quarantined", "ended", "failed"];
const GROUPINGS: Grouping[] = ["template", "course"];

route("/admin/labs", "Admin · Labs", async (ctx) => {
  if (!(await requireAdmin(ctx))) return;
  const status = STATUSES.find((s) => s === ctx.query.get("status"));
  const group_by = GROUPINGS.find((g) => g === ctx.query.get("group_by")) ?? "template";
  const [{ data: costs }, { data: sessions }, { data: pools }] = await Promise.all([
    api.GET("/api/v1/admin/labs/costs", { params: { query: { group_by } } }),
    api.GET("/api/v1/admin/labs/sessions", { params: { query: { status } } }),
    api.GET("/api/v1/admin/labs/pools"),
  ]);
  const filter = (event: Event) => {
    const values = formValues(event);
    const query = new URLSearchParams(Object.entries(values).filter(([, v]) => v));
    navigate(`/admin/labs?${query}`);
  };
  ctx.show(html`<h1>Admin</h1>
    ${adminNav("/admin/labs")}
    <h2>Labs</h2>
    <form class="filters card" @submit=${filter} aria-label="Filter the labs">
      <div class="field">
        <label for="f-group">Costs per</label>
        <select id="f-group" name="group_by">
          ${GROUPINGS.map((g) => html`<option value=${g} .selected=${g === group_by}>${g}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="f-status">Sessions in status</label>
        <select id="f-status" name="status">
          <option value="" .selected=${!status}>any</option>
          ${STATUSES.map((s) => html`<option value=${s} .selected=${s === status}>${s}</option>`)}
        </select>
      </div>
      <button type="submit">Show</button>
    </form>

    <h3 id="costs-title">Costs per ${group_by}: $${costs?.total_usd ?? "—"} in all</h3>
    ${costs?.lines.length
      ? html`<div class="table-wrap"><table aria-labelledby="costs-title">
          <thead><tr><th scope="col">${group_by === "course" ? "Course" : "Template"}</th><th scope="col">Sessions</th><th scope="col">Cost</th></tr></thead>
          <tbody>${costs.lines.map(
            (line) => html`<tr><td>${line.key ?? "(none)"}</td><td>${line.sessions}</td><td>$${line.cost_usd}</td></tr>`,
          )}</tbody>
        </table></div>`
      : html`<p>No lab has cost anything yet.</p>`}

    <h3 id="sessions-title">Sessions${status ? ` (${status})` : ""}</h3>
    ${sessions?.length
      ? html`<div class="table-wrap"><table aria-labelledby="sessions-title">
          <thead><tr><th scope="col">Session</th><th scope="col">Learner</th><th scope="col">Template</th><th scope="col">Cloud</th><th scope="col">Status</th><th scope="col">Requested</th><th scope="col">Cost</th></tr></thead>
          <tbody>${sessions.map(
            (s) => html`<tr>
              <td><code>${s.id.slice(0, 8)}</code></td>
              <td><a href=${`/admin/users/${s.user_id}`}>${s.user_id.slice(0, 8)}</a></td>
              <td>${s.template_id}</td>
              <td>${s.provider.toUpperCase()} ${s.region}</td>
              <td>${s.status}${s.reason ? html`<div class="meta">${s.reason}</div>` : ""}</td>
              <td>${when(s.requested_at)}</td>
              <td>$${s.cost_usd}</td>
            </tr>`,
          )}</tbody>
        </table></div>`
      : html`<p>No session${status ? ` is ${status}` : " yet"}.</p>`}

    <h3 id="pools-title">Warm pools</h3>
    ${pools?.length
      ? html`<div class="table-wrap"><table aria-labelledby="pools-title">
          <thead><tr><th scope="col">Template</th><th scope="col">Size</th><th scope="col">Ready</th><th scope="col">Provisioning</th></tr></thead>
          <tbody>${pools.map(
            (p) => html`<tr><td>${p.title} <span class="meta">${p.template_id}</span></td><td>${p.size}</td><td>${p.ready}</td><td>${p.provisioning}</td></tr>`,
          )}</tbody>
        </table></div>`
      : html`<p>No warm pool.</p>`}`);
});
