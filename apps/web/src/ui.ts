// Shared bits of markup: form fields with labels, alerts, dates.
import { html, nothing, type TemplateResult } from "lit-html";

export function field(
  label: string,
  name: string,
  options: { type?: string; value?: string; required?: boolean; autocomplete?: string; min?: number } = {},
): TemplateResult {
  const id = `f-${name}`;
  return html`<div class="field">
    <label for=${id}>${label}</label>
    <input
      id=${id}
      name=${name}
      type=${options.type ?? "text"}
      .value=${options.value ?? ""}
      ?required=${options.required ?? false}
      autocomplete=${options.autocomplete ?? "off"}
      min=${options.min ?? nothing}
    />
  </div>`;
}

export function alert(message: string | null, kind: "error" | "ok" = "error"): TemplateResult | typeof nothing {
  if (!message) return nothing;
  return html`<p role=${kind === "error" ? "alert" : "status"} class=${kind}>${message}</p>`;
}

export function formValues(event: Event): Record<string, string> {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  return Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v)]));
}

export function when(iso: string | null | undefined): string {
  return iso ? new Date(iso).toLocaleString() : "—";
}

export function percent(value: number): TemplateResult {
  return html`<div class="progress">
    <progress max="100" .value=${value} aria-label="Progress">${value}%</progress><span>${value}%</span>
  </div>`;
}
