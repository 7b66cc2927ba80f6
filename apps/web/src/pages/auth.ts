// Signing up, verifying the address (the mailed link), signing in (password or single
// sign-on through the identity provider, with PKCE), resetting a password, signing out.
import { html } from "lit-html";
import { describe, publicApi } from "../api/client";
import { navigate, route, type PageContext } from "../router";
import { session } from "../session";
import { alert, field, formValues } from "../ui";

const SSO_VERIFIER = "cmh.sso.verifier";

function afterSignIn(ctx: PageContext): string {
  const next = ctx.query.get("next") ?? "/";
  return next.startsWith("/") && !next.startsWith("//") ? next : "/";
}

route("/login", "Sign in", (ctx) => {
  const view = (message: string | null = null) =>
    ctx.show(html`<h1>Sign in</h1>
      <form class="card narrow" @submit=${submit}>
        ${field("Email", "email", { type: "email", required: true, autocomplete: "username" })}
        ${field("Password", "password", { type: "password", required: true, autocomplete: "current-password" })}
        ${alert(message)}
        <button type="submit">Sign in</button>
      </form>
      <div class="card narrow">
        <button type="button" class="secondary" @click=${sso}>Sign in with single sign-on</button>
        <p><a href="/signup">Create an account</a> · <a href="/forgot-password">Forgot your password?</a></p>
      </div>`);
  async function submit(event: Event) {
    const { email, password } = formValues(event);
    const { data, error } = await publicApi.POST("/api/v1/auth/login", { body: { email, password } });
    if (!data) return view(describe(error));
    session.start(data);
    navigate(afterSignIn(ctx));
  }
  async function sso() {
    const verifier = randomVerifier();
    sessionStorage.setItem(SSO_VERIFIER, verifier);
    const { data, error } = await publicApi.POST("/api/v1/auth/sso/start", {
      body: {
        redirect_uri: `${location.origin}/auth/callback`,
        code_challenge: await challengeOf(verifier),
        code_challenge_method: "S256",
      },
    });
    if (!data) return view(describe(error));
    location.assign(data.authorization_url);
  }
  view();
});

route("/auth/callback", "Signing in", async (ctx) => {
  const code = ctx.query.get("code");
  const state = ctx.query.get("state");
  const verifier = sessionStorage.getItem(SSO_VERIFIER);
  sessionStorage.removeItem(SSO_VERIFIER);
  if (!code || !state || !verifier) {
    const reason = ctx.query.get("error_description") ?? ctx.query.get("error") ?? "The sign-in was not finished.";
    return ctx.show(html`<h1>Single sign-on</h1>${alert(reason)}<p><a href="/login">Back to sign in</a></p>`);
  }
  const { data, error } = await publicApi.POST("/api/v1/auth/sso/callback", {
    body: { code, state, code_verifier: verifier },
  });
  if (!data) return ctx.show(html`<h1>Single sign-on</h1>${alert(describe(error))}<p><a href="/login">Back to sign in</a></p>`);
  session.start(data);
  navigate("/", true);
});

route("/signup", "Create an account", (ctx) => {
  const view = (message: string | null = null) =>
    ctx.show(html`<h1>Create an account</h1>
      <form class="card narrow" @submit=${submit}>
        ${field("Name", "display_name", { required: true, autocomplete: "name" })}
        ${field("Email", "email", { type: "email", required: true, autocomplete: "email" })}
        ${field("Password (at least 10 characters)", "password", { type: "password", required: true, autocomplete: "new-password" })}
        ${alert(message)}
        <button type="submit">Create account</button>
      </form>
      <p><a href="/login">I already have an account</a></p>`);
  async function submit(event: Event) {
    const { display_name, email, password } = formValues(event);
    const { data, error } = await publicApi.POST("/api/v1/auth/register", {
      body: { display_name, email, password },
    });
    if (!data) return view(describe(error));
    ctx.show(html`<h1>Check your mail</h1>
      <p role="status">We sent a link to <strong>${data.email}</strong>: open it to verify your address, then sign in.</p>
      <p><a href="/login">Sign in</a></p>`);
  }
  view();
});

// The mailed link carries its secret in the fragment, which never reaches a server log.
route("/verify-email", "Verify your email", async (ctx) => {
  const token = new URLSearchParams(location.hash.slice(1)).get("token");
  if (!token) return ctx.show(html`<h1>Verify your email</h1>${alert("This link has no token.")}`);
  const { error, response } = await publicApi.POST("/api/v1/auth/verify-email", { body: { token } });
  history.replaceState(null, "", "/verify-email");
  ctx.show(html`<h1>Verify your email</h1>
    ${response.ok ? alert("Your email address is verified.", "ok") : alert(describe(error))}
    <p><a href="/login">Sign in</a></p>`);
});

route("/forgot-password", "Reset your password", (ctx) => {
  const view = (message: string | null = null, ok = false) =>
    ctx.show(html`<h1>Reset your password</h1>
      <form class="card narrow" @submit=${submit}>
        ${field("Email", "email", { type: "email", required: true, autocomplete: "email" })}
        ${alert(message, ok ? "ok" : "error")}
        <button type="submit">Send me a link</button>
      </form>`);
  async function submit(event: Event) {
    const { email } = formValues(event);
    const { error, response } = await publicApi.POST("/api/v1/auth/password-reset", { body: { email } });
    if (response.ok) view("If the address has an account, a reset link is on its way.", true);
    else view(describe(error));
  }
  view();
});

route("/reset-password", "Choose a new password", (ctx) => {
  const token = new URLSearchParams(location.hash.slice(1)).get("token") ?? "";
  const view = (message: string | null = null) =>
    ctx.show(html`<h1>Choose a new password</h1>
      <form class="card narrow" @submit=${submit}>
        ${field("New password", "new_password", { type: "password", required: true, autocomplete: "new-password" })}
        ${alert(message)}
        <button type="submit">Save password</button>
      </form>`);
  async function submit(event: Event) {
    const { new_password } = formValues(event);
    const { error, response } = await publicApi.POST("/api/v1/auth/password-reset/confirm", {
      body: { token, new_password },
    });
    if (!response.ok) return view(describe(error));
    ctx.show(html`<h1>Password changed</h1>${alert("Sign in with your new password.", "ok")}<p><a href="/login">Sign in</a></p>`);
  }
  view();
});

function randomVerifier(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

async function challengeOf(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

function base64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
