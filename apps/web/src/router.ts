// A small history router: a route is a path pattern (":name" segments) and the page that
// renders it into <main>. Links inside the app are intercepted so pages load without a reload.
import { html, render, type TemplateResult } from "lit-html";

export type PageContext = {
  params: Record<string, string>;
  query: URLSearchParams;
  /** Render into the page's region; ignored once the person has navigated away. */
  show(view: TemplateResult): void;
  /** Called when the person leaves the page (timers, sockets). */
  onLeave(cleanup: () => void): void;
  readonly active: boolean;
};
export type Page = (ctx: PageContext) => void | Promise<void>;
type Route = { pattern: RegExp; names: string[]; page: Page; title: string };

const routes: Route[] = [];
let leaving: Array<() => void> = [];
let generation = 0;

export function route(path: string, title: string, page: Page): void {
  const names: string[] = [];
  const source = path.replace(/:(\w+)/g, (_, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  routes.push({ pattern: new RegExp(`^${source}/?$`), names, page, title });
}

export function navigate(to: string, replace = false): void {
  if (replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  void dispatch();
}

export async function dispatch(): Promise<void> {
  leaving.forEach((cleanup) => cleanup());
  leaving = [];
  const mine = ++generation;
  const region = document.getElementById("main") as HTMLElement;
  const found = routes
    .map((r) => ({ r, match: r.pattern.exec(location.pathname) }))
    .find((candidate) => candidate.match !== null);
  const ctx: PageContext = {
    params: {},
    query: new URLSearchParams(location.search),
    show: (view) => {
      if (mine === generation) render(view, region);
    },
    onLeave: (cleanup) => leaving.push(cleanup),
    get active() {
      return mine === generation;
    },
  };
  if (!found) {
    document.title = "Not found · CloudMastersHub";
    ctx.show(html`<h1>Page not found</h1><p><a href="/">Back to the catalog</a></p>`);
    return;
  }
  found.r.names.forEach((name, i) => (ctx.params[name] = decodeURIComponent(found.match![i + 1])));
  document.title = `${found.r.title} · CloudMastersHub`;
  ctx.show(html`<p role="status">Loading…</p>`);
  try {
    await found.r.page(ctx);
  } catch (error) {
    ctx.show(html`<h1>${found.r.title}</h1><p role="alert" class="error">${String(error)}</p>`);
  }
  if (mine === generation) {
    if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
    region.focus({ preventScroll: true });
  }
}

export function startRouter(): void {
  window.addEventListener("popstate", () => void dispatch());
  document.addEventListener("click", (event) => {
    const link = (event.target as Element).closest?.("a");
    if (!link || link.target || link.hasAttribute("download") || event.metaKey || event.ctrlKey) return;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin || /^\/(api|media|local-idp|schema)\//.test(url.pathname)) return;
    event.preventDefault();
    navigate(url.pathname + url.search + url.hash);
  });
  void dispatch();
}
