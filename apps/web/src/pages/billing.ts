// Billing: the plans, checkout (the local Stripe stand-in has no hosted page, so its
// checkout session is paid from a page of ours), the subscription and the invoices.
import { html } from "lit-html";
import { api, describe } from "../api/client";
import { forgetMe } from "../me";
import { navigate, route } from "../router";
import { alert, when } from "../ui";
import { requireSignIn } from "./guard";

route("/billing", "Billing", async (ctx) => {
  if (!(await requireSignIn())) return;
  let message: string | null = null;
  const load = async () => {
    const [{ data: plans }, { data: subscription }, { data: invoices }] = await Promise.all([
      api.GET("/api/v1/payments/plans"),
      api.GET("/api/v1/payments/subscription/me"),
      api.GET("/api/v1/payments/invoices/me"),
    ]);
    const current = subscription && subscription.status !== "canceled" ? subscription : null;
    ctx.show(html`<h1>Billing</h1>
      <section aria-labelledby="sub-title" class="card">
        <h2 id="sub-title">Your subscription</h2>
        ${current
          ? html`<p data-subscription=${current.status}>${current.tier} plan (${current.plan_id}) · <strong>${current.status}</strong>
              · renews ${when(current.current_period_end)}${current.cancel_at_period_end ? " · ends at period end" : ""}</p>`
          : html`<p data-subscription="none">Free plan: beginner courses and labs.</p>`}
      </section>
      <h2>Plans</h2>
      <ul class="cards plans">
        ${(plans ?? []).map(
          (plan) => html`<li class="card">
            <h3>${plan.name}</h3>
            <p>${plan.unit_amount} ${plan.currency.toUpperCase()} per ${plan.interval} · ${plan.lab_hours} lab hours</p>
            ${current?.plan_id === plan.id
              ? html`<p class="ok">Your plan</p>`
              : html`<button type="button" aria-label=${`Choose ${plan.name}`} @click=${() => checkout(plan.id, plan.min_quantity)}>Choose</button>`}
          </li>`,
        )}
      </ul>
      ${alert(message)}
      <h2>Invoices</h2>
      ${invoices?.length
        ? html`<div class="table-wrap"><table>
            <caption class="visually-hidden">Your payments</caption>
            <thead><tr><th scope="col">Date</th><th scope="col">Plan</th><th scope="col">Amount</th><th scope="col">Status</th></tr></thead>
            <tbody>${invoices.map(
              (p) => html`<tr><td>${when(p.paid_at ?? p.created_at)}</td><td>${p.plan_id}</td>
                <td>${p.amount} ${p.currency.toUpperCase()}</td><td>${p.status}</td></tr>`,
            )}</tbody>
          </table></div>`
        : html`<p>No payments yet.</p>`}`);
  };
  async function checkout(plan_id: string, quantity: number) {
    const { data, error } = await api.POST("/api/v1/payments/checkout", { body: { plan_id, quantity: Math.max(1, quantity) } });
    if (!data) {
      message = describe(error);
      return load();
    }
    navigate(`/billing/checkout/${data.session_id}`);
  }
  await load();
});

route("/billing/checkout/:session", "Checkout", async (ctx) => {
  if (!(await requireSignIn())) return;
  const session_id = ctx.params.session;
  const { data: checkout, error } = await api.GET("/api/v1/payments/stand-in/checkout/{session_id}/pay", {
    params: { path: { session_id } },
  });
  const view = (message: string | null = null) =>
    ctx.show(html`<h1>Checkout</h1>
      ${checkout
        ? html`<section class="card">
            <p>Test payment through the local Stripe stand-in: no card is charged.</p>
            <pre tabindex="0" aria-label="Checkout session">${JSON.stringify(checkout, null, 2)}</pre>
            <p class="actions">
              <button type="button" @click=${() => pay(false)}>Pay</button>
              <button type="button" class="secondary" @click=${() => pay(true)}>Decline the card</button>
            </p>
          </section>`
        : alert(describe(error))}
      ${alert(message)}
      <p><a href="/billing">Back to billing</a></p>`);
  async function pay(declined: boolean) {
    const { error: refused, response } = await api.POST("/api/v1/payments/stand-in/checkout/{session_id}/pay", {
      params: { path: { session_id } },
      body: { declined },
    });
    if (!response.ok) return view(describe(refused));
    if (declined) return view("The card was declined.");
    forgetMe(); // the tier changes
    navigate("/billing");
  }
  view();
});
