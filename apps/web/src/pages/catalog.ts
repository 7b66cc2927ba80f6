// The catalog: full-text search with provider, level and tag facets (their counts come from
// the search), kept in the address so a search can be shared and the back button works.
import { html, nothing } from "lit-html";
import { api } from "../api/client";
import { navigate, route, type PageContext } from "../router";

const FACETS = ["provider", "level", "tag"] as const;
type Facet = (typeof FACETS)[number];
const FACET_LABELS: Record<Facet, string> = { provider: "Cloud", level: "Level", tag: "Topic" };

route("/", "Catalog", (ctx) => catalog(ctx));
route("/courses", "Catalog", (ctx) => catalog(ctx));

async function catalog(ctx: PageContext) {
  const chosen = (facet: Facet) => ctx.query.get(facet) ?? undefined;
  const q = ctx.query.get("q") ?? undefined;
  const { data } = await api.GET("/api/v1/courses", {
    params: { query: { q, provider: chosen("provider") as never, level: chosen("level") as never, tag: chosen("tag"), limit: 50 } },
  });
  if (!data) return ctx.show(html`<h1>Catalog</h1><p role="alert">The catalog is not available.</p>`);
  const counts: Record<Facet, Record<string, number>> = {
    provider: data.facets.provider,
    level: data.facets.level,
    tag: data.facets.tags,
  };
  const toggled = (facet: Facet, value: string) => {
    const next = new URLSearchParams(ctx.query);
    if (next.get(facet) === value) next.delete(facet);
    else next.set(facet, value);
    return `/courses?${next}`;
  };
  const search = (event: Event) => {
    event.preventDefault();
    const next = new URLSearchParams(ctx.query);
    const text = String(new FormData(event.currentTarget as HTMLFormElement).get("q") ?? "").trim();
    if (text) next.set("q", text);
    else next.delete("q");
    navigate(`/courses?${next}`);
  };
  ctx.show(html`<h1>Catalog</h1>
    <form role="search" class="search" @submit=${search}>
      <label for="catalog-q" class="visually-hidden">Search courses</label>
      <input id="catalog-q" name="q" type="search" placeholder="Search courses" .value=${q ?? ""} />
      <button type="submit">Search</button>
    </form>
    <div class="catalog">
      <aside aria-label="Filters">
        ${FACETS.map(
          (facet) => html`<section aria-label=${FACET_LABELS[facet]}>
            <h2>${FACET_LABELS[facet]}</h2>
            <ul class="facets">
              ${Object.entries(counts[facet]).map(
                ([value, count]) => html`<li>
                  <a href=${toggled(facet, value)} aria-current=${chosen(facet) === value ? "true" : nothing}
                    >${value} <span class="count">(${count})</span></a
                  >
                </li>`,
              )}
            </ul>
          </section>`,
        )}
      </aside>
      <section aria-label="Courses">
        <p role="status">${data.items.length} course${data.items.length === 1 ? "" : "s"}</p>
        <ul class="cards">
          ${data.items.map(
            (course) => html`<li class="card">
              <h2><a href=${`/courses/${course.id}`}>${course.title}</a></h2>
              <p>${course.summary}</p>
              <p class="meta">${course.provider.toUpperCase()} · ${course.level} · ${course.lesson_count} lessons ·
                ${course.estimated_minutes} min</p>
              <p class="tags">${course.tags.map((tag) => html`<span class="tag">${tag}</span>`)}</p>
            </li>`,
          )}
        </ul>
      </section>
    </div>`);
}
