// Who is signed in: the token pair in localStorage (bearer tokens, no cookies), refreshed
// silently a little before the access token expires and whenever an answer says 401.
// The refresh token rotates on every use, so one refresh runs at a time.
import createClient from "openapi-fetch";
import type { components, paths } from "./api/schema";

type TokenPair = components["schemas"]["TokenPair"];
type Stored = { access: string; refresh: string; expiresAt: number };

const KEY = "cmh.session";
const EARLY_MS = 30_000;
const auth = createClient<paths>({ baseUrl: "" });

class Session extends EventTarget {
  private stored: Stored | null = read();
  private refreshing: Promise<boolean> | null = null;
  private timer: number | undefined;

  constructor() {
    super();
    this.schedule();
    // Another tab signed in, refreshed or signed out.
    window.addEventListener("storage", (event) => {
      if (event.key !== KEY) return;
      this.stored = read();
      this.schedule();
      this.changed();
    });
  }

  get signedIn(): boolean {
    return this.stored !== null;
  }

  start(pair: TokenPair): void {
    this.save({
      access: pair.access_token,
      refresh: pair.refresh_token,
      expiresAt: Date.now() + pair.expires_in * 1000,
    });
  }

  async accessToken(): Promise<string | null> {
    if (this.stored && Date.now() > this.stored.expiresAt - EARLY_MS) await this.refresh();
    return this.stored?.access ?? null;
  }

  refresh(): Promise<boolean> {
    this.refreshing ??= this.exchange().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  async end(): Promise<void> {
    const refresh = this.stored?.refresh;
    this.save(null);
    if (refresh) await auth.POST("/api/v1/auth/logout", { body: { refresh_token: refresh } });
  }

  private async exchange(): Promise<boolean> {
    const refresh = this.stored?.refresh;
    if (!refresh) return false;
    const { data } = await auth.POST("/api/v1/auth/refresh", { body: { refresh_token: refresh } });
    if (!data) {
      this.save(null);
      return false;
    }
    this.start(data);
    this.dispatchEvent(new Event("refreshed"));
    return true;
  }

  private save(stored: Stored | null): void {
    const was = this.stored !== null;
    this.stored = stored;
    if (stored) localStorage.setItem(KEY, JSON.stringify(stored));
    else localStorage.removeItem(KEY);
    this.schedule();
    if (was !== (stored !== null)) this.changed();
  }

  private schedule(): void {
    window.clearTimeout(this.timer);
    if (!this.stored) return;
    const due = Math.max(1_000, this.stored.expiresAt - EARLY_MS - Date.now());
    this.timer = window.setTimeout(() => void this.refresh(), due);
  }

  private changed(): void {
    this.dispatchEvent(new Event("change"));
  }
}

function read(): Stored | null {
  try {
    const value = JSON.parse(localStorage.getItem(KEY) ?? "null") as Stored | null;
    return value && value.access && value.refresh ? value : null;
  } catch {
    return null;
  }
}

export const session = new Session();
