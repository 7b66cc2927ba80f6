// The web client: a shell (header, navigation, the main region) and one module per page.
import { html, nothing, render } from "lit-html";
import "./styles.css";
import { mayAuthor, me, type Me } from "./me";
import { bell } from "./notifications";
import { isAdmin } from "./pages/admin";
import { navigate, startRouter } from "./router";
import { session } from "./session";
import "./pages/auth";
import "./pages/catalog";
import "./pages/course";
import "./pages/player";
import "./pages/profile";
import "./pages/labs";
import "./pages/assessments";
import "./pages/inbox";
import "./pages/billing";
import "./pages/forum";
import "./pages/learning";
import "./pages/admin";
import "./pages/admin-users";
import "./pages/admin-labs";
import "./pages/admin-subscriptions";
import "./pages/admin-dead-letters";
import "./pages/teach";
import "./pages/teach-lab";
import "./pages/teach-quiz";
import "./pages/report";

async function renderShell(): Promise<void> {
  const user: Me | null = await me();
  const signOut = async () => {
    await session.end();
    navigate("/login");
  };
  render(
    html`<header class="top">
        <a class="brand" href="/">CloudMastersHub</a>
        <nav aria-label="Main">
          <ul>
            <li><a href="/courses">Catalog</a></li>
            ${user
              ? html`<li><a href="/learning">My learning</a></li>
                  <li><a href="/labs">Labs</a></li>
                  <li><a href="/certificates">Certificates</a></li>
                  <li><a href="/billing">Billing</a></li>
                  ${mayAuthor(user) ? html`<li><a href="/teach">Teach</a></li>` : nothing}
                  ${isAdmin(user.roles) ? html`<li><a href="/admin/users">Admin</a></li>` : nothing}
                  <li>
                    <a href="/notifications" class="bell" aria-label=${`Notifications, ${bell.unread} unread`}
                      >🔔<span class="badge" aria-hidden="true">${bell.unread}</span></a
                    >
                  </li>
                  <li><a href="/profile">${user.display_name}</a></li>
                  <li><button type="button" class="link" @click=${signOut}>Sign out</button></li>`
              : html`<li><a href="/login">Sign in</a></li>
                  <li><a href="/signup">Sign up</a></li>`}
          </ul>
        </nav>
      </header>
      <main id="main" tabindex="-1"></main>`,
    document.getElementById("app") as HTMLElement,
  );
}

session.addEventListener("change", () => void renderShell());
bell.addEventListener("change", () => void renderShell());
void renderShell().then(() => {
  startRouter();
  void bell.start();
});
