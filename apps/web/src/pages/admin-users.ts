// Admin: every account (paged by the API's cursor; the search filters by name or email)
// and one account, with the actions the API offers: its roles, disable or enable it.
import { html, nothing } from "lit-html";
import { api, describe, type Schemas } from "../api/client";
import { forgetMe, me } from "../me";
import { navigate, route } from "../router";
import { alert, formValues, when } from "../ui";
import { adminNav, confirmation, focusCancel, requireAdmin, type Pending } from "./admin";

type User = Schemas["UserView"];
type RoleName = NonNullable<Schemas["AdminUpdateUserRequest"]["roles"]>[number];
const ROLES: RoleName[] = ["learner", "instructor", "admin"];
const PAGE = 100;
// A search reads this many pages at most (the API has no search of its own).
const SEARCH_PAGES = 20;

route("/admin/users", "Admin · Users", async (ctx) => {
  if (!(await requireAdmin(ctx))) return;
  const q = (ctx.query.get("q") ?? "").trim().toLowerCase();
  let users: User[] = [];
  let cursor: string | null | undefined = undefined;
  let message: string | null = null;

  async function more(pages: number) {
    for (let i = 0; i < pages && cursor !== null; i++) {
      const { data, error } = await api.GET("/api/v1/admin/users", {
        params: { query: { limit: PAGE, cursor: cursor ?? undefined } },
      });
      if (!data) {
        message = describe(error);
        return;
      }
      users = [...users, ...data.items];
      cursor = data.next_cursor;
    }
  }

  function view() {
    const shown = q
      ? users.filter((u) => u.email.toLowerCase().includes(q) || u.display_name.toLowerCase().includes(q))
      : users;
    ctx.show(html`<h1>Admin</h1>
      ${adminNav("/admin/users")}
      <h2>Users</h2>
      <form class="search" role="search" @submit=${search}>
        <label for="f-q" class="visually-hidden">Search by name or email</label>
        <input id="f-q" name="q" type="search" placeholder="Name or email" .value=${ctx.query.get("q") ?? ""} />
        <button type="submit">Search</button>
      </form>
      ${alert(message)}
      <p class="meta" role="status">
        ${q ? `${shown.length} of ${users.length} accounts match “${q}”.` : `${users.length} accounts shown.`}
      </p>
      ${shown.length
        ? html`<div class="table-wrap"><table>
            <caption class="visually-hidden">Accounts</caption>
            <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Roles</th><th scope="col">Tier</th><th scope="col">Status</th><th scope="col">Joined</th></tr></thead>
            <tbody>${shown.map(
              (u) => html`<tr>
                <td><a href=${`/admin/users/${u.id}`}>${u.display_name}</a></td>
                <td>${u.email}</td>
                <td>${u.roles.join(", ")}</td>
                <td>${u.tier}</td>
                <td>${u.status}</td>
                <td>${when(u.created_at)}</td>
              </tr>`,
            )}</tbody>
          </table></div>`
        : html`<p>No account${q ? " matches" : " yet"}.</p>`}
      ${cursor ? html`<button type="button" class="secondary" @click=${loadMore}>Load more</button>` : nothing}`);
  }
  function search(event: Event) {
    const { q: words } = formValues(event);
    navigate(words.trim() ? `/admin/users?q=${encodeURIComponent(words.trim())}` : "/admin/users");
  }
  async function loadMore() {
    await more(q ? SEARCH_PAGES : 1);
    view();
  }
  await more(q ? SEARCH_PAGES : 1);
  view();
});

route("/admin/users/:user", "Admin · User", async (ctx) => {
  if (!(await requireAdmin(ctx))) return;
  const user_id = ctx.params.user;
  const self = (await me())?.id === user_id;
  const { data: found, error: missing } = await api.GET("/api/v1/users/{user_id}", { params: { path: { user_id } } });
  if (!found) {
    return ctx.show(html`<h1>Admin</h1>${adminNav("/admin/users")}${alert(describe(missing))}`);
  }
  let user: User = found;
  let message: string | null = null;
  let ok = false;
  let pending: Pending | null = null;

  function view() {
    ctx.show(html`<h1>Admin</h1>
      ${adminNav("/admin/users")}
      <h2>${user.display_name}</h2>
      <dl class="facts">
        <dt>Email</dt><dd>${user.email} ${user.email_verified ? "(verified)" : "(not verified)"}</dd>
        <dt>Status</dt><dd data-account-status=${user.status}>${user.status}</dd>
        <dt>Roles</dt><dd>${user.roles.join(", ")}</dd>
        <dt>Tier</dt><dd>${user.tier}</dd>
        <dt>Locale</dt><dd>${user.locale} · ${user.timezone}</dd>
        <dt>Joined</dt><dd>${when(user.created_at)}</dd>
        <dt>ID</dt><dd><code>${user.id}</code></dd>
      </dl>
      ${alert(message, ok ? "ok" : "error")}
      <form class="card narrow" @submit=${saveRoles}>
        <fieldset>
          <legend>Roles</legend>
          ${ROLES.map(
            (role) => html`<div class="choice">
              <input type="checkbox" id=${`role-${role}`} name=${role} .checked=${user.roles.includes(role)} />
              <label for=${`role-${role}`}>${role}</label>
            </div>`,
          )}
        </fieldset>
        <button type="submit">Save roles</button>
        ${confirmation(pending, "roles", cancel)}
      </form>
      <section class="card narrow" aria-labelledby="status-title">
        <h3 id="status-title">Account status</h3>
        ${user.status === "disabled"
          ? html`<p>Disabled: this person cannot sign in.</p>
              <button type="button" @click=${() => setStatus("active")}>Enable account</button>`
          : html`<p>Disabling signs this person out everywhere at once.</p>
              <button type="button" class="danger" ?disabled=${self} @click=${askDisable}>Disable account</button>
              ${self ? html`<p class="meta">You cannot disable your own account.</p>` : nothing}`}
        ${confirmation(pending, "status", cancel)}
      </section>
      <p><a href="/admin/users">Back to the users</a></p>`);
    if (pending) focusCancel();
  }
  function cancel() {
    pending = null;
    view();
  }
  function saveRoles(event: Event) {
    const values = formValues(event);
    const roles = ROLES.filter((role) => role in values);
    const removed = user.roles.filter((role) => !roles.includes(role as RoleName));
    if (removed.length) {
      pending = {
        where: "roles",
        question: `Take the ${removed.join(" and ")} role${removed.length > 1 ? "s" : ""} away from ${user.display_name}?`,
        yes: "Yes, change the roles",
        run: () => update({ roles }, "Roles saved."),
      };
      return view();
    }
    return update({ roles }, "Roles saved.");
  }
  function askDisable() {
    pending = {
      where: "status",
      question: `Disable ${user.display_name}'s account? They are signed out everywhere at once.`,
      yes: "Yes, disable",
      run: () => setStatus("disabled"),
    };
    view();
  }
  function setStatus(status: "active" | "disabled") {
    return update({ status }, status === "disabled" ? "Account disabled." : "Account enabled.");
  }
  async function update(body: Schemas["AdminUpdateUserRequest"], done: string) {
    pending = null;
    const { data, error } = await api.PATCH("/api/v1/admin/users/{user_id}", { params: { path: { user_id } }, body });
    ok = Boolean(data);
    message = data ? done : describe(error);
    if (data) user = data;
    if (data && self) forgetMe();
    view();
  }
  view();
});
