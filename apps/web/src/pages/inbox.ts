// The inbox (read, mark read, follow a notification's link) and the notification
// preferences: channels per category, quiet hours, the digest.
import { html, nothing } from "lit-html";
import { api, describe, type Schemas } from "../api/client";
import { bell } from "../notifications";
import { route } from "../router";
import { alert, when } from "../ui";
import { requireSignIn } from "./guard";

type Preferences = Schemas["PreferencesView"];
type Channel = Schemas["Channel"];
const CHANNELS: Channel[] = ["inbox", "email", "push"];

route("/notifications", "Notifications", async (ctx) => {
  if (!(await requireSignIn())) return;
  const load = async () => {
    const { data } = await api.GET("/api/v1/notifications/me");
    const items = data?.items ?? [];
    ctx.show(html`<h1>Notifications</h1>
      <p class="actions">
        <button type="button" class="secondary" @click=${readAll}>Mark all as read</button>
        <a href="/notifications/preferences">Preferences</a>
      </p>
      ${items.length
        ? html`<ul class="cards">
            ${items.map(
              (n) => html`<li class=${`card ${n.read ? "" : "unread"}`}>
                <h2>${n.read ? "" : html`<span class="visually-hidden">Unread: </span>`}${n.title}</h2>
                <p>${n.body}</p>
                <p class="meta">${when(n.created_at)} · ${n.category}</p>
                <p class="actions">
                  ${n.link ? html`<a href=${n.link}>Open</a>` : nothing}
                  ${n.read ? nothing : html`<button type="button" class="secondary" @click=${() => read(n.id)}>Mark as read</button>`}
                </p>
              </li>`,
            )}
          </ul>`
        : html`<p>Nothing yet.</p>`}`);
  };
  async function read(notification_id: string) {
    await api.POST("/api/v1/notifications/{notification_id}/read", { params: { path: { notification_id } } });
    bell.set(bell.unread - 1);
    await load();
  }
  async function readAll() {
    await api.POST("/api/v1/notifications/me/read-all");
    bell.set(0);
    await load();
  }
  // New ones show up as they arrive.
  const arrived = () => void load();
  bell.addEventListener("notification", arrived);
  ctx.onLeave(() => bell.removeEventListener("notification", arrived));
  await load();
});

route("/notifications/preferences", "Notification preferences", async (ctx) => {
  if (!(await requireSignIn())) return;
  const { data } = await api.GET("/api/v1/notifications/preferences/me");
  if (!data) return;
  const view = (prefs: Preferences, message: string | null = null, ok = false) =>
    ctx.show(html`<h1>Notification preferences</h1>
      <form class="card" @submit=${save}>
        <div class="table-wrap"><table>
          <caption>Where each kind of notification reaches you</caption>
          <thead><tr><th scope="col">Kind</th>${CHANNELS.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
          <tbody>
            ${Object.entries(prefs.channels).map(
              ([category, chosen]) => html`<tr>
                <th scope="row">${category}</th>
                ${CHANNELS.map(
                  (c) => html`<td><input type="checkbox" name=${`${category}:${c}`} aria-label=${`${category} by ${c}`}
                    .checked=${chosen.includes(c)} /></td>`,
                )}
              </tr>`,
            )}
          </tbody>
        </table></div>
        <fieldset>
          <legend>Quiet hours (no push or mail; in your time zone)</legend>
          <label class="choice"><input type="checkbox" name="quiet" .checked=${prefs.quiet_hours !== null} /> Keep quiet hours</label>
          <label class="choice">From <input type="time" name="quiet_start" .value=${prefs.quiet_hours?.start ?? "22:00"} /></label>
          <label class="choice">To <input type="time" name="quiet_end" .value=${prefs.quiet_hours?.end ?? "07:00"} /></label>
        </fieldset>
        ${alert(message, ok ? "ok" : "error")}
        <button type="submit">Save preferences</button>
      </form>`);
  async function save(event: Event) {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const channels: Record<string, Channel[]> = {};
    for (const category of Object.keys(data!.channels)) {
      channels[category] = CHANNELS.filter((c) => form.get(`${category}:${c}`) === "on");
    }
    const quiet = form.get("quiet") === "on";
    const { data: saved, error } = await api.PUT("/api/v1/notifications/preferences/me", {
      body: {
        channels,
        quiet_hours: quiet ? { start: String(form.get("quiet_start")), end: String(form.get("quiet_end")) } : null,
        digest: data!.digest as Schemas["Digest"],
        digest_time: data!.digest_time,
        digest_weekday: data!.digest_weekday,
      },
    });
    if (!saved) return view(data!, describe(error));
    view(saved, "Saved.", true);
  }
  view(data);
});
