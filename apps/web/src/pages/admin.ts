// What the admin pages share: only administrators see them (everyone else gets a clear
// "not allowed" page; the API refuses them too), and a tab list between the admin pages.
import { html, nothing } from "lit-html";
import { me } from "../me";
import { navigate, route, type PageContext } from "../router";
import { requireSignIn } from "./guard";

const TABS: Array<[string, string]> = [
  ["/admin/users", "Users"],
  ["/admin/labs", "Labs"],
  ["/admin/subscriptions", "Subscriptions"],
  ["/admin/dead-letters", "Dead letters"],
];

export function isAdmin(roles: readonly string[] | undefined): boolean {
  return roles?.includes("admin") ?? false;
}

/** Signed in as an administrator; otherwise sign in, or a page saying it is not allowed. */
export async function requireAdmin(ctx: PageContext): Promise<boolean> {
  if (!(await requireSignIn())) return false;
  if (isAdmin((await me())?.roles)) return true;
  document.title = "Not allowed · CloudMastersHub";
  ctx.show(html`<h1>Not allowed</h1>
    <p role="alert" class="error">Only administrators may see this page.</p>
    <p><a href="/">Back to the catalog</a></p>`);
  return false;
}

export function adminNav(current: string) {
  return html`<nav aria-label="Admin" class="tabs">
    <ul>
      ${TABS.map(
        ([href, label]) =>
          html`<li><a href=${href} aria-current=${href === current ? "page" : "false"}>${label}</a></li>`,
      )}
    </ul>
  </nav>`;
}

/** A destructive action asks first, where it was asked for: the question, then "yes" or
 * "cancel" (focused, so Enter never confirms by accident; see focusCancel). */
export type Pending = { where: string; question: string; yes: string; run: () => Promise<void> };

export function confirmation(pending: Pending | null, where: string, cancel: () => void) {
  if (pending?.where !== where) return nothing;
  return html`<div class="card confirm" role="alertdialog" aria-labelledby="confirm-q">
    <p id="confirm-q"><strong>${pending.question}</strong></p>
    <p class="actions">
      <button type="button" class="danger" @click=${pending.run}>${pending.yes}</button>
      <button type="button" class="secondary cancel" @click=${cancel}>Cancel</button>
    </p>
  </div>`;
}

export function focusCancel(): void {
  document.querySelector<HTMLElement>(".confirm .cancel")?.focus();
}

route("/admin", "Admin", async (ctx) => {
  if (!(await requireAdmin(ctx))) return;
  navigate("/admin/users", true);
});
