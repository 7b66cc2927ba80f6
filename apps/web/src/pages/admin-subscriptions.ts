// Admin: subscriptions (or those in one status), the payments with refunds, and the refund
// sagas of lab sessions the platform failed, with where each stands.
import { html } from "lit-html";
import { api, type Schemas } from "../api/client";
import { navigate, route } from "../router";
import { formValues, when } from "../ui";
import { adminNav, requireAdmin } from "./admin";

type Status = Schemas["SubscriptionStatus"];
const STATUSES: Status[] = ["incomplete", "incomplete_expired", "trialing", "active", "past_due", "unpaid", "canceled"];

route("/admin/subscriptions", "Admin · Subscriptions", async (ctx) => {
  if (!(await requireAdmin(ctx))) return;
  const status = STATUSES.find((s) => s === ctx.query.get("status"));
  const [{ data: subscriptions }, { data: refunds }, { data: sagas }] = await Promise.all([
    api.GET("/api/v1/admin/payments/subscriptions", { params: { query: { status } } }),
    api.GET("/api/v1/admin/payments/refunds"),
    api.GET("/api/v1/admin/payments/refund-sagas"),
  ]);
  // Who each subscriber is: their email, one read per account.
  const ids = [...new Set([...(subscriptions ?? []), ...(refunds ?? []), ...(sagas ?? [])].map((x) => x.user_id))];
  const emails = new Map<string, string>();
  await Promise.all(
    ids.map(async (user_id) => {
      const { data } = await api.GET("/api/v1/users/{user_id}", { params: { path: { user_id } } });
      if (data) emails.set(user_id, data.email);
    }),
  );
  const who = (user_id: string) => html`<a href=${`/admin/users/${user_id}`}>${emails.get(user_id) ?? user_id.slice(0, 8)}</a>`;
  const filter = (event: Event) => {
    const { status: chosen } = formValues(event);
    navigate(chosen ? `/admin/subscriptions?status=${chosen}` : "/admin/subscriptions");
  };
  ctx.show(html`<h1>Admin</h1>
    ${adminNav("/admin/subscriptions")}
    <h2>Subscriptions</h2>
    <form class="filters" @submit=${filter} aria-label="Filter the subscriptions">
      <div class="field">
        <label for="f-status">Status</label>
        <select id="f-status" name="status">
          <option value="" .selected=${!status}>any</option>
          ${STATUSES.map((s) => html`<option value=${s} .selected=${s === status}>${s}</option>`)}
        </select>
      </div>
      <button type="submit">Show</button>
    </form>
    ${subscriptions?.length
      ? html`<div class="table-wrap"><table>
          <caption class="visually-hidden">Subscriptions</caption>
          <thead><tr><th scope="col">Subscriber</th><th scope="col">Plan</th><th scope="col">Status</th><th scope="col">Seats</th><th scope="col">Renews</th><th scope="col">Updated</th></tr></thead>
          <tbody>${subscriptions.map(
            (s) => html`<tr>
              <td>${who(s.user_id)}</td>
              <td>${s.plan_id} (${s.tier})</td>
              <td>${s.status}${s.cancel_at_period_end ? html`<div class="meta">ends at period end</div>` : ""}
                ${s.grace_ends_at ? html`<div class="meta">grace until ${when(s.grace_ends_at)}</div>` : ""}</td>
              <td>${s.seats > 1 ? `${s.seat_holders.length} of ${s.seats} taken` : s.seats}</td>
              <td>${when(s.current_period_end)}</td>
              <td>${when(s.updated_at)}</td>
            </tr>`,
          )}</tbody>
        </table></div>`
      : html`<p>No subscription${status ? ` is ${status}` : " yet"}.</p>`}

    <h2>Refunds</h2>
    ${refunds?.length
      ? html`<div class="table-wrap"><table>
          <caption class="visually-hidden">Payments with refunds</caption>
          <thead><tr><th scope="col">Payer</th><th scope="col">Plan</th><th scope="col">Paid</th><th scope="col">Refunded</th><th scope="col">Why</th></tr></thead>
          <tbody>${refunds.map(
            (p) => html`<tr>
              <td>${who(p.user_id)}</td>
              <td>${p.plan_id}</td>
              <td>${p.amount} ${p.currency.toUpperCase()} · ${when(p.paid_at ?? p.created_at)}</td>
              <td>${p.refunded} ${p.currency.toUpperCase()}</td>
              <td>${p.refunds.map((r) => html`<div>${when(r.at)}: ${r.amount} · ${r.reason}</div>`)}</td>
            </tr>`,
          )}</tbody>
        </table></div>`
      : html`<p>No refund yet.</p>`}

    <h2>Refund sagas</h2>
    ${sagas?.length
      ? html`<div class="table-wrap"><table>
          <caption class="visually-hidden">Refunds of failed lab sessions</caption>
          <thead><tr><th scope="col">Learner</th><th scope="col">Lab session</th><th scope="col">Status</th><th scope="col">Refund</th><th scope="col">Hours back</th><th scope="col">Attempts</th><th scope="col">Updated</th></tr></thead>
          <tbody>${sagas.map(
            (s) => html`<tr>
              <td>${who(s.user_id)}</td>
              <td><code>${s.session_id.slice(0, 8)}</code></td>
              <td>${s.status}${s.last_error ? html`<div class="meta">${s.last_error}</div>` : ""}</td>
              <td>${s.refund}</td>
              <td>${s.hours_restored ?? "—"}</td>
              <td>${s.attempts}</td>
              <td>${when(s.updated_at)}</td>
            </tr>`,
          )}</tbody>
        </table></div>`
      : html`<p>No lab session needed a refund.</p>`}`);
});
