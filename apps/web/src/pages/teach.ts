// Teaching: the instructor's own courses (drafts too) and a new one; the course editor
// (catalog data, modules, lessons of every kind, both moved up and down, a video uploaded
// with its progress and followed until it is ready, publishing); one lesson's editor (a text lesson's text, a lab
// lesson's lab template, a video lesson's video status, a quiz lesson's quiz).
import { html, nothing, type TemplateResult } from "lit-html";
import { api, describe, type Schemas } from "../api/client";
import { me } from "../me";
import { navigate, route } from "../router";
import { alert, field, formValues, when } from "../ui";
import { assetStatus, PROCESSING, uploadVideo, type Asset } from "../upload";
import { requireSignIn } from "./guard";

type Course = Schemas["CourseView"];
type Lesson = Schemas["LessonView"];
type LessonKind = Schemas["LessonKind"];
type Provider = Schemas["courses_domain_values_CloudProvider"];
type Level = Schemas["courses_domain_values_Level"];
export const PROVIDERS: Provider[] = ["aws", "azure", "gcp"];
export const LEVELS: Level[] = ["beginner", "intermediate", "advanced"];
const KINDS: LessonKind[] = ["text", "video", "lab", "quiz"];
const POLL_MS = 1500;

export function teachCoursePath(courseId: string): string {
  return `/teach/courses/${courseId}`;
}

export function teachLessonPath(courseId: string, lessonId: string): string {
  return `/teach/courses/${courseId}/lessons/${lessonId}`;
}

/** A labelled select; ids are the caller's, so two forms on a page never share one. */
export function select(
  label: string,
  id: string,
  name: string,
  options: Array<string | [value: string, text: string]>,
  value = "",
): TemplateResult {
  const pairs = options.map((o) => (typeof o === "string" ? [o, o] : o));
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <select id=${id} name=${name}>
      ${pairs.map(([v, text]) => html`<option value=${v} .selected=${v === value}>${text}</option>`)}
    </select>
  </div>`;
}

/** A lesson's content document to PUT: what it holds now, with some parts changed. */
export function contentPut(
  current: Schemas["LessonContent"] | undefined,
  changes: Partial<Schemas["LessonContentPut"]>,
): Schemas["LessonContentPut"] {
  return {
    blocks: (current?.blocks ?? []).map((b) => ({ ...b, kind: b.kind as Schemas["ContentBlockIn"]["kind"] })),
    attachments: (current?.attachments ?? []).map(({ name, url, size_bytes }) => ({ name, url, size_bytes })),
    lab_ref: current?.lab_ref ?? null,
    quiz_ref: current?.quiz_ref ?? null,
    ...changes,
  };
}

/** Empties some fields of a form once it was sent (a reset would empty the defaults too). */
export function clearFields(form: HTMLFormElement, names: string[]): void {
  names.forEach((name) => {
    const input = form.elements.namedItem(name);
    if (input instanceof HTMLInputElement || input instanceof HTMLTextAreaElement) input.value = "";
  });
}

function tags(text: string): string[] {
  return text.split(",").map((s) => s.trim()).filter(Boolean);
}

route("/teach", "Teach", async (ctx) => {
  if (!(await requireSignIn())) return;
  const [{ data: courses, error }, user] = await Promise.all([api.GET("/api/v1/courses/authored"), me()]);
  const { data: templates } = await api.GET("/api/v1/labs/templates");
  const mine = (templates ?? []).filter((t) => t.owner_id === user?.id);
  const view = (message: string | null = null) =>
    ctx.show(html`<h1>Teach</h1>
      ${courses === undefined ? alert(describe(error)) : nothing}
      <h2>Your courses</h2>
      ${courses?.length
        ? html`<div class="table-wrap"><table>
            <caption class="visually-hidden">Courses you author</caption>
            <thead><tr><th scope="col">Course</th><th scope="col">Status</th><th scope="col">Lessons</th><th scope="col">Changed</th><th scope="col">Report</th></tr></thead>
            <tbody>
              ${courses.map(
                (c) => html`<tr>
                  <td><a href=${teachCoursePath(c.id)}>${c.title}</a></td>
                  <td>${c.status}</td>
                  <td>${c.modules.reduce((n, m) => n + m.lessons.length, 0)}</td>
                  <td>${when(c.updated_at)}</td>
                  <td>${c.status === "draft" ? "—" : html`<a href=${`${teachCoursePath(c.id)}/report`} aria-label=${`Report of ${c.title}`}>Report</a>`}</td>
                </tr>`,
              )}
            </tbody>
          </table></div>`
        : html`<p>No course yet: start one below.</p>`}
      <form class="card narrow" @submit=${create} aria-labelledby="new-course">
        <h2 id="new-course">New course</h2>
        ${field("Title", "title", { required: true })}
        <div class="field">
          <label for="f-summary">Summary</label>
          <textarea id="f-summary" name="summary" rows="3"></textarea>
        </div>
        ${select("Cloud", "f-provider", "provider", PROVIDERS)}
        ${select("Level", "f-level", "level", LEVELS)}
        ${field("Tags, comma separated", "tags")}
        ${alert(message)}
        <button type="submit">Create the draft</button>
      </form>
      <h2>Your lab templates</h2>
      ${mine.length
        ? html`<ul>${mine.map((t) => html`<li>${t.title} <span class="meta">${t.provider.toUpperCase()} · ${t.level} · ${t.tasks.length} task(s)</span></li>`)}</ul>`
        : html`<p>None yet.</p>`}
      <p><a href="/teach/labs/new">Author a lab template</a></p>`);
  async function create(event: Event) {
    const values = formValues(event);
    const { data, error: refused } = await api.POST("/api/v1/courses", {
      body: {
        title: values.title,
        summary: values.summary,
        provider: values.provider as Provider,
        level: values.level as Level,
        tags: tags(values.tags),
        prerequisites: [],
      },
    });
    if (!data) return view(describe(refused));
    navigate(teachCoursePath(data.id));
  }
  view();
});

route("/teach/courses/:course", "Course editor", async (ctx) => {
  if (!(await requireSignIn())) return;
  const course_id = ctx.params.course;
  let course: Course | undefined;
  let message: string | null = null;
  let ok = false;
  let upload: { name: string; percent: number; asset?: Asset; error?: string } | null = null;
  let polling: number | undefined;
  ctx.onLeave(() => window.clearTimeout(polling));

  async function load() {
    const { data, error } = await api.GET("/api/v1/courses/{course_id}", { params: { path: { course_id } } });
    course = data;
    if (!data) message = describe(error);
    view();
  }

  const say = (text: string | null, success = false) => {
    message = text;
    ok = success;
  };

  async function save(event: Event) {
    const values = formValues(event);
    const { data, error } = await api.PATCH("/api/v1/courses/{course_id}", {
      params: { path: { course_id } },
      body: {
        title: values.title,
        summary: values.summary,
        provider: values.provider as Provider,
        level: values.level as Level,
        tags: tags(values.tags),
      },
    });
    if (data) course = data;
    say(data ? "Saved." : describe(error), !!data);
    view();
  }

  async function addModule(event: Event) {
    const form = event.currentTarget as HTMLFormElement;
    const values = formValues(event);
    const { data, error } = await api.POST("/api/v1/courses/{course_id}/modules", {
      params: { path: { course_id } },
      body: { title: values.module_title },
    });
    say(data ? `Module “${data.title}” added.` : describe(error), !!data);
    if (data) form.reset();
    await load();
  }

  async function addLesson(event: Event) {
    const form = event.currentTarget as HTMLFormElement;
    const values = formValues(event);
    const kind = values.kind as LessonKind;
    const file = (form.elements.namedItem("video") as HTMLInputElement).files?.[0];
    let asset_id: string | null = null;
    if (kind === "video") {
      if (!file) return (say("Choose the lesson's video file."), view());
      upload = { name: file.name, percent: 0 };
      try {
        const asset = await uploadVideo(file, (percent) => {
          upload = { ...upload!, percent };
          view();
        });
        asset_id = asset.id;
        upload = { ...upload, asset };
      } catch (error) {
        upload = { ...upload, error: String(error instanceof Error ? error.message : error) };
        return view();
      }
    }
    const { data, error } = await api.POST("/api/v1/courses/{course_id}/modules/{module_id}/lessons", {
      params: { path: { course_id, module_id: values.module } },
      body: { title: values.lesson_title, kind, required: true, duration_minutes: Number(values.duration || 0), asset_id },
    });
    say(data ? `Lesson “${data.title}” added.` : describe(error), !!data);
    if (data) clearFields(form, ["lesson_title", "video"]);
    await load();
    if (asset_id) void follow(asset_id);
  }

  // The video's status until content has transcoded it (or given up).
  async function follow(asset_id: string) {
    const asset = await assetStatus(asset_id);
    if (!ctx.active || !upload) return;
    if (asset) upload = { ...upload, asset };
    view();
    if (!asset || PROCESSING.has(asset.status)) polling = window.setTimeout(() => void follow(asset_id), POLL_MS);
  }

  // Moving one item swaps it with its neighbour: the API takes the whole new order.
  async function moveModule(index: number, by: -1 | 1) {
    const c = course!;
    const ids = swapped(c.modules.map((m) => m.id), index, by);
    const { data, error } = await api.PUT("/api/v1/courses/{course_id}/modules/order", {
      params: { path: { course_id } },
      body: { module_ids: ids },
    });
    moved(data, error, c.modules[index].title, by);
  }

  async function moveLesson(moduleIndex: number, index: number, by: -1 | 1) {
    const m = course!.modules[moduleIndex];
    const ids = swapped(m.lessons.map((l) => l.id), index, by);
    const { data, error } = await api.PUT("/api/v1/courses/{course_id}/modules/{module_id}/lessons/order", {
      params: { path: { course_id, module_id: m.id } },
      body: { lesson_ids: ids },
    });
    moved(data, error, m.lessons[index].title, by);
  }

  function moved(data: Course | undefined, error: unknown, title: string, by: -1 | 1) {
    if (data) course = data;
    const direction = by < 0 ? "up" : "down";
    say(data ? `Moved “${title}” ${direction}.` : describe(error), !!data);
    view();
    // Keep the keyboard on the item that moved (its button, or the other one at an end).
    const buttons = Array.from(document.querySelectorAll<HTMLButtonElement>("button[data-move]"));
    const mine = (d: string) => buttons.find((b) => b.dataset.move === moveLabel(title, d));
    const target = [mine(direction), mine(direction === "up" ? "down" : "up")].find((b) => b && !b.disabled);
    target?.focus();
  }

  async function publish() {
    const { data, error } = await api.POST("/api/v1/courses/{course_id}/publish", { params: { path: { course_id } } });
    if (data) course = data;
    say(data ? "Published: the course is in the catalog." : describe(error), !!data);
    view();
  }

  function view() {
    if (!course) return ctx.show(html`<h1>Course editor</h1>${alert(message)}`);
    const c = course;
    document.title = `${c.title} · Course editor`;
    ctx.show(html`<h1>${c.title}</h1>
      <p>Status: <strong data-course-status=${c.status}>${c.status}</strong>
        ${c.published_at ? html`· published ${when(c.published_at)}` : nothing}</p>
      <p class="actions">
        ${c.status === "draft" ? html`<button type="button" @click=${publish}>Publish</button>` : nothing}
        ${c.status !== "draft" ? html`<a href=${`/courses/${c.id}`}>Catalog page</a>` : nothing}
        ${c.status !== "draft" ? html`<a href=${`${teachCoursePath(c.id)}/report`}>Report</a>` : nothing}
        <a href="/teach">All your courses</a>
      </p>
      ${alert(message, ok ? "ok" : "error")}
      <section class="card" aria-labelledby="outline-title">
        <h2 id="outline-title">Outline</h2>
        ${c.modules.length ? nothing : html`<p>No module yet: add one below, then its lessons.</p>`}
        ${c.modules.map(
          (m, i) => html`<h3 data-module=${m.id}>Module ${i + 1}: ${m.title}</h3>
            ${moveButtons(m.title, i, c.modules.length, (by) => moveModule(i, by))}
            ${m.lessons.length
              ? html`<ol>${m.lessons.map((l, j) =>
                  lessonItem(c, l, moveButtons(l.title, j, m.lessons.length, (by) => moveLesson(i, j, by))),
                )}</ol>`
              : html`<p class="meta">No lesson yet.</p>`}`,
        )}
        <p class="meta">New modules and lessons are appended; “Move up” and “Move down” change their order.</p>
      </section>
      <form class="card narrow" @submit=${addModule} aria-labelledby="add-module">
        <h2 id="add-module">Add a module</h2>
        ${field("Module title", "module_title", { required: true })}
        <button type="submit">Add the module</button>
      </form>
      ${c.modules.length
        ? html`<form class="card narrow" @submit=${addLesson} aria-labelledby="add-lesson">
            <h2 id="add-lesson">Add a lesson</h2>
            ${select("Module", "f-lesson-module", "module", c.modules.map((m) => [m.id, m.title]))}
            ${field("Lesson title", "lesson_title", { required: true })}
            ${select("Kind", "f-lesson-kind", "kind", KINDS)}
            ${field("Duration (minutes)", "duration", { type: "number", min: 0, value: "5" })}
            <div class="field">
              <label for="f-video">Video file (video lessons)</label>
              <input id="f-video" name="video" type="file" accept="video/*" />
            </div>
            ${upload ? uploadStatus(upload) : nothing}
            <button type="submit">Add the lesson</button>
          </form>`
        : nothing}
      <form class="card narrow" @submit=${save} aria-labelledby="catalog-data">
        <h2 id="catalog-data">Catalog data</h2>
        ${field("Title", "title", { value: c.title, required: true })}
        <div class="field">
          <label for="f-summary">Summary</label>
          <textarea id="f-summary" name="summary" rows="3" .value=${c.summary}></textarea>
        </div>
        ${select("Cloud", "f-provider", "provider", PROVIDERS, c.provider)}
        ${select("Level", "f-level", "level", LEVELS, c.level)}
        ${field("Tags, comma separated", "tags", { value: c.tags.join(", ") })}
        <button type="submit">Save</button>
      </form>`);
  }
  await load();
});

function lessonItem(course: Course, lesson: Lesson, moves: TemplateResult | typeof nothing): TemplateResult {
  return html`<li data-lesson=${lesson.id}>
    <a href=${teachLessonPath(course.id, lesson.id)}>${lesson.title}</a>
    <span class="meta">${lesson.kind} · ${lesson.duration_minutes} min${lesson.kind === "video" && !lesson.has_video ? " · no video" : ""}</span>
    ${moves}
  </li>`;
}

/** ``ids`` with the one at ``index`` swapped with its neighbour ``by`` places away. */
function swapped(ids: string[], index: number, by: -1 | 1): string[] {
  const order = [...ids];
  [order[index], order[index + by]] = [order[index + by], order[index]];
  return order;
}

function moveLabel(title: string, direction: string): string {
  return `Move ${title} ${direction}`;
}

/** "Move up" / "Move down" for the item at ``index`` of ``count``; named after the item
 * (in visually hidden text, so the name still holds what is shown), so a screen reader's
 * list of buttons says which one moves. */
function moveButtons(title: string, index: number, count: number, move: (by: -1 | 1) => void): TemplateResult | typeof nothing {
  if (count < 2) return nothing;
  return html`<span class="moves">
    <button type="button" class="secondary" data-move=${moveLabel(title, "up")}
      ?disabled=${index === 0} @click=${() => move(-1)}>Move<span class="visually-hidden"> ${title}</span> up</button>
    <button type="button" class="secondary" data-move=${moveLabel(title, "down")}
      ?disabled=${index === count - 1} @click=${() => move(1)}>Move<span class="visually-hidden"> ${title}</span> down</button>
  </span>`;
}

function uploadStatus(upload: { name: string; percent: number; asset?: Asset; error?: string }): TemplateResult {
  const status = upload.error
    ? upload.error
    : !upload.asset
      ? `Uploading ${upload.name}: ${upload.percent}%`
      : upload.asset.status === "ready"
        ? `Video ready: ${upload.name}`
        : upload.asset.status === "failed"
          ? `The video could not be processed: ${upload.asset.failure_reason ?? "unknown reason"}`
          : `Uploaded; processing the video (${upload.asset.status})…`;
  return html`<div class="progress">
      <progress max="100" .value=${upload.percent} aria-label="Upload progress">${upload.percent}%</progress>
      <span>${upload.percent}%</span>
    </div>
    <p role="status" data-asset-status=${upload.asset?.status ?? "uploading"}
      class=${upload.error || upload.asset?.status === "failed" ? "error" : upload.asset?.status === "ready" ? "ok" : ""}>${status}</p>`;
}

route("/teach/courses/:course/lessons/:lesson", "Lesson editor", async (ctx) => {
  if (!(await requireSignIn())) return;
  const { course: course_id, lesson: lesson_id } = ctx.params;
  const path = { course_id, lesson_id };
  const [{ data: course, error }, { data: content }, user] = await Promise.all([
    api.GET("/api/v1/courses/{course_id}", { params: { path: { course_id } } }),
    api.GET("/api/v1/courses/{course_id}/lessons/{lesson_id}/content", { params: { path } }),
    me(),
  ]);
  const lesson = course?.modules.flatMap((m) => m.lessons).find((l) => l.id === lesson_id);
  if (!course || !lesson) return ctx.show(html`<h1>Lesson editor</h1>${alert(error ? describe(error) : "No such lesson.")}`);
  document.title = `${lesson.title} · Lesson editor`;
  let current = content;
  const quizRef = content?.quiz_ref ?? null;
  let message: string | null = null;
  let ok = false;
  let asset: Asset | undefined;
  let templates: Array<{ id: string; title: string }> = [];
  if (lesson.kind === "lab") {
    const { data } = await api.GET("/api/v1/labs/templates");
    templates = (data ?? []).filter((t) => t.owner_id === user?.id || user?.roles.includes("admin"));
  }
  let polling: number | undefined;
  ctx.onLeave(() => window.clearTimeout(polling));
  if (lesson.kind === "video" && content?.asset_id) void follow(content.asset_id);

  async function follow(asset_id: string) {
    asset = await assetStatus(asset_id);
    if (!ctx.active) return;
    view();
    if (asset && PROCESSING.has(asset.status)) polling = window.setTimeout(() => void follow(asset_id), POLL_MS);
  }

  async function put(changes: Partial<Schemas["LessonContentPut"]>, done: string) {
    const { data, error: refused } = await api.PUT("/api/v1/courses/{course_id}/lessons/{lesson_id}/content", {
      params: { path },
      body: contentPut(current, changes),
    });
    if (data) current = data;
    message = data ? done : describe(refused);
    ok = !!data;
    view();
  }

  async function saveText(event: Event) {
    const values = formValues(event);
    // One paragraph per blank-line-separated part; a first line starting with "# " is a heading.
    const parts = values.text.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
    await put(
      {
        blocks: parts.map((p) =>
          p.startsWith("# ") ? { kind: "heading", text: p.slice(2) } : { kind: "paragraph", text: p },
        ),
      },
      "Text saved.",
    );
  }

  async function chooseLab(event: Event) {
    const values = formValues(event);
    await put({ lab_ref: values.lab_ref }, "Lab attached.");
  }

  function view() {
    const c = course!;
    const l = lesson!;
    const blocks = current?.blocks ?? [];
    const labRef = current?.lab_ref ?? null;
    let body: TemplateResult;
    if (l.kind === "text") {
      body = html`<form class="card" @submit=${saveText}>
        <div class="field">
          <label for="f-text">Lesson text (a blank line between paragraphs; “# ” starts a heading)</label>
          <textarea id="f-text" name="text" rows="12" .value=${blocks.map((b) => (b.kind === "heading" ? `# ${b.text}` : b.text)).join("\n\n")}></textarea>
        </div>
        <button type="submit">Save the text</button>
      </form>`;
    } else if (l.kind === "lab") {
      body = html`<p>Lab: ${labRef ? html`<strong>${templates.find((t) => t.id === labRef)?.title ?? labRef}</strong>` : "none yet"}</p>
        ${templates.length
          ? html`<form class="card narrow" @submit=${chooseLab}>
              ${select("Lab template", "f-lab-ref", "lab_ref", templates.map((t) => [t.id, t.title]), labRef ?? "")}
              <button type="submit">Attach the lab</button>
            </form>`
          : nothing}
        <p><a href=${`/teach/labs/new?course=${c.id}&lesson=${l.id}`}>Author a new lab template for this lesson</a></p>`;
    } else if (l.kind === "quiz") {
      body = html`<p>${quizRef ? "This lesson has a quiz." : "No quiz yet."}</p>
        <p><a class="button" href=${`${teachLessonPath(c.id, l.id)}/quiz`}>${quizRef ? "Open the quiz" : "Author the quiz"}</a></p>`;
    } else {
      body = asset
        ? html`<p role="status" data-asset-status=${asset.status}>Video ${asset.filename}: ${asset.status === "ready" ? "ready" : asset.status}</p>`
        : html`<p>${l.has_video ? "Video attached." : "No video: add a video lesson from the course editor with its file."}</p>`;
    }
    ctx.show(html`<h1>${l.title}</h1>
      <p class="meta">${l.kind} lesson of <a href=${teachCoursePath(c.id)}>${c.title}</a></p>
      ${body}
      ${alert(message, ok ? "ok" : "error")}`);
  }
  view();
});
