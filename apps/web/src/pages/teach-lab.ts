// Authoring a lab template: the cloud, its limits, one bucket the lab prepares and one task
// that validation checks (a bucket with a name prefix, versioning on or not). Opened from a
// lab lesson, the new template becomes that lesson's lab.
import { html } from "lit-html";
import { api, describe, type Schemas } from "../api/client";
import { navigate, route } from "../router";
import { alert, field, formValues } from "../ui";
import { requireSignIn } from "./guard";
import { contentPut, LEVELS, PROVIDERS, select, teachLessonPath } from "./teach";

type Provider = Schemas["labs_domain_template_CloudProvider"];
type Level = Schemas["labs_domain_template_Level"];
const REGIONS: Record<Provider, string> = { aws: "us-east-1", azure: "eastus", gcp: "us-central1" };
const SERVICES: Record<Provider, string> = { aws: "s3", azure: "storage", gcp: "storage" };

route("/teach/labs/new", "New lab template", async (ctx) => {
  if (!(await requireSignIn())) return;
  const course_id = ctx.query.get("course");
  const lesson_id = ctx.query.get("lesson");
  const view = (message: string | null = null) =>
    ctx.show(html`<h1>New lab template</h1>
      <form class="card narrow" @submit=${create}>
        ${field("Title", "title", { required: true })}
        <div class="field">
          <label for="f-description">Description</label>
          <textarea id="f-description" name="description" rows="3"></textarea>
        </div>
        ${select("Cloud", "f-provider", "provider", PROVIDERS)}
        ${select("Level", "f-level", "level", LEVELS)}
        ${field("Region (empty: the cloud's default)", "region")}
        ${field("Allowed services, comma separated (empty: storage)", "services")}
        ${field("Time limit (minutes)", "time_limit", { type: "number", min: 1, value: "60", required: true })}
        ${field("Budget cap (USD)", "budget", { value: "2.00", required: true })}
        <fieldset>
          <legend>The bucket the lab checks</legend>
          ${field("Bucket name prefix", "prefix", { value: "logs-", required: true })}
          <label class="choice"><input type="checkbox" name="versioning" checked /> Versioning must be on</label>
        </fieldset>
        <fieldset>
          <legend>The task</legend>
          ${field("Task title", "task_title", { required: true })}
          ${field("Hint", "hint")}
          ${field("Points", "points", { type: "number", min: 1, value: "10" })}
        </fieldset>
        ${alert(message)}
        <button type="submit">Create the lab template</button>
      </form>`);
  async function create(event: Event) {
    const values = formValues(event);
    const provider = values.provider as Provider;
    const { data, error } = await api.POST("/api/v1/labs/templates", {
      body: {
        title: values.title,
        description: values.description,
        provider,
        level: values.level as Level,
        allowed_regions: [values.region.trim() || REGIONS[provider]],
        allowed_services: values.services.split(",").map((s) => s.trim()).filter(Boolean).length
          ? values.services.split(",").map((s) => s.trim()).filter(Boolean)
          : [SERVICES[provider]],
        resources: [{ type: "bucket", name_prefix: values.prefix, versioning: false }],
        time_limit_minutes: Number(values.time_limit),
        max_extension_minutes: 30,
        warm_pool_size: 0,
        budget_cap_usd: values.budget,
        tasks: [
          {
            id: "task-1",
            title: values.task_title,
            hint: values.hint,
            points: Number(values.points || 10),
            check: { type: "bucket", name_prefix: values.prefix, versioning: values.versioning === "on" },
          },
        ],
        course_id,
      },
    });
    if (!data) return view(describe(error));
    if (!course_id || !lesson_id) return navigate("/teach");
    // The lesson keeps its text; its lab is the new template.
    const path = { course_id, lesson_id };
    const { data: content } = await api.GET("/api/v1/courses/{course_id}/lessons/{lesson_id}/content", { params: { path } });
    const { error: refused, response } = await api.PUT("/api/v1/courses/{course_id}/lessons/{lesson_id}/content", {
      params: { path },
      body: contentPut(content, { lab_ref: data.id }),
    });
    if (!response.ok) return view(`The template was created, but not attached: ${describe(refused)}`);
    navigate(teachLessonPath(course_id, lesson_id));
  }
  view();
});
