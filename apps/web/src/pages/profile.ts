// The profile: name, time zone, locale, interests and level (used by recommendations and
// to time notifications and mail).
import { html } from "lit-html";
import { api, describe, type Schemas } from "../api/client";
import { forgetMe, type Me } from "../me";
import { route } from "../router";
import { alert, field, formValues } from "../ui";
import { requireSignIn } from "./guard";

const LEVELS = ["beginner", "intermediate", "advanced"] as const;
type Level = (typeof LEVELS)[number];

route("/profile", "Your profile", async (ctx) => {
  if (!(await requireSignIn())) return;
  const { data: user } = await api.GET("/api/v1/users/me");
  if (!user) return;
  // One list for the page's life: lit reuses the options by position.
  const zones = [...new Set([user.timezone, ...Intl.supportedValuesOf("timeZone")])];
  const view = (who: Me, message: string | null = null, ok = false) =>
    ctx.show(html`<h1>Your profile</h1>
      <p>${who.email} · ${who.tier} plan · ${who.roles.join(", ")} ${who.email_verified ? "· verified" : ""}</p>
      <form class="card narrow" @submit=${save}>
        ${field("Name", "display_name", { value: who.display_name, required: true })}
        <div class="field">
          <label for="f-timezone">Time zone</label>
          <select id="f-timezone" name="timezone">
            ${zones.map(
              (zone) => html`<option .selected=${zone === who.timezone} value=${zone}>${zone}</option>`,
            )}
          </select>
        </div>
        ${field("Locale (e.g. en, fr-CA)", "locale", { value: who.locale })}
        ${field("Interests, comma separated", "interests", { value: who.interests.join(", ") })}
        <div class="field">
          <label for="f-skill">Level</label>
          <select id="f-skill" name="skill_level">
            ${LEVELS.map((level) => html`<option .selected=${level === who.skill_level} value=${level}>${level}</option>`)}
          </select>
        </div>
        ${alert(message, ok ? "ok" : "error")}
        <button type="submit">Save</button>
      </form>`);
  async function save(event: Event) {
    const values = formValues(event);
    const { data, error } = await api.PATCH("/api/v1/users/me", {
      body: {
        display_name: values.display_name,
        timezone: values.timezone as Schemas["UpdateProfileRequest"]["timezone"],
        locale: values.locale,
        interests: values.interests.split(",").map((s) => s.trim()).filter(Boolean),
        skill_level: values.skill_level as Level,
      },
    });
    if (!data) return view(user!, describe(error));
    forgetMe();
    view(data, "Saved.", true);
  }
  view(user);
});
