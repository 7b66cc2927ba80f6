// A quiz lesson's quiz: questions added to the course's question bank (single choice or
// true/false, with their answer key), the quiz drawn from the bank with its rules, then
// published (each question's version is pinned). The lesson's content refers to the quiz.
import { html, nothing } from "lit-html";
import { api, describe, type Schemas } from "../api/client";
import { route } from "../router";
import { alert, field, formValues } from "../ui";
import { requireSignIn } from "./guard";
import { clearFields, contentPut, select, teachLessonPath } from "./teach";

type Question = Schemas["QuestionView"];
type Quiz = Schemas["QuizView"];
const CHOICES = ["a", "b", "c", "d"];

route("/teach/courses/:course/lessons/:lesson/quiz", "Quiz editor", async (ctx) => {
  if (!(await requireSignIn())) return;
  const { course: course_id, lesson: lesson_id } = ctx.params;
  const path = { course_id, lesson_id };
  const [{ data: course }, { data: content }, { data: bank }] = await Promise.all([
    api.GET("/api/v1/courses/{course_id}", { params: { path: { course_id } } }),
    api.GET("/api/v1/courses/{course_id}/lessons/{lesson_id}/content", { params: { path } }),
    api.GET("/api/v1/assessments/questions", { params: { query: { course_id } } }),
  ]);
  const lesson = course?.modules.flatMap((m) => m.lessons).find((l) => l.id === lesson_id);
  if (!course || !lesson) return ctx.show(html`<h1>Quiz editor</h1>${alert("No such lesson.")}`);
  document.title = `Quiz of ${lesson.title} · CloudMastersHub`;
  const questions: Question[] = bank ?? [];
  const chosen = new Set<string>();
  let quiz: Quiz | undefined;
  if (content?.quiz_ref) {
    const { data } = await api.GET("/api/v1/assessments/quizzes/{quiz_id}", { params: { path: { quiz_id: content.quiz_ref } } });
    quiz = data;
  }
  let message: string | null = null;
  let ok = false;
  const say = (text: string | null, success = false) => {
    message = text;
    ok = success;
    view();
  };

  async function addQuestion(event: Event) {
    const form = event.currentTarget as HTMLFormElement;
    const values = formValues(event);
    const kind = values.q_kind as "single" | "true_false";
    const choices = CHOICES.filter((id) => values[`choice_${id}`]?.trim()).map((id) => ({ id, text: values[`choice_${id}`].trim() }));
    const { data, error } = await api.POST("/api/v1/assessments/questions", {
      body: {
        course_id,
        kind,
        prompt: values.prompt,
        points: Number(values.points || 1),
        explanation: values.explanation,
        skills: [],
        choices: kind === "single" ? choices : [],
        key: {
          choice_ids: kind === "single" ? [values.correct] : [],
          truth: kind === "true_false" ? values.truth === "true" : null,
          tolerance: 0,
          accepted: [],
        },
      },
    });
    if (!data) return say(describe(error));
    questions.push(data);
    chosen.add(data.id);
    clearFields(form, ["prompt", "explanation", ...CHOICES.map((id) => `choice_${id}`)]);
    say("Question added to the bank.", true);
  }

  async function createQuiz(event: Event) {
    const values = formValues(event);
    const { data, error } = await api.POST("/api/v1/assessments/quizzes", {
      body: {
        course_id,
        lesson_id,
        kind: "quiz",
        title: values.quiz_title,
        question_ids: [...chosen],
        rules: {
          questions_per_attempt: 0,
          time_limit_minutes: Number(values.time_limit),
          max_attempts: 0,
          cooldown_minutes: 0,
          passing_percent: Number(values.passing),
          show_answers_after_grading: true,
          proctored: false,
        },
      },
    });
    if (!data) return say(describe(error));
    quiz = data;
    const { error: refused, response } = await api.PUT("/api/v1/courses/{course_id}/lessons/{lesson_id}/content", {
      params: { path },
      body: contentPut(content, { quiz_ref: data.id }),
    });
    say(response.ok ? "Quiz created as a draft: publish it when it is ready." : describe(refused), response.ok);
  }

  async function publish() {
    const { data, error } = await api.POST("/api/v1/assessments/quizzes/{quiz_id}/publish", {
      params: { path: { quiz_id: quiz!.id } },
    });
    if (data) quiz = data;
    say(data ? "Quiz published: learners can take it." : describe(error), !!data);
  }

  function view() {
    const inQuiz = new Set(quiz?.question_ids ?? []);
    ctx.show(html`<h1>Quiz of “${lesson!.title}”</h1>
      <p class="meta">Quiz lesson of <a href=${teachLessonPath(course_id, lesson_id)}>${lesson!.title}</a> in ${course!.title}</p>
      ${alert(message, ok ? "ok" : "error")}
      ${quiz
        ? html`<section class="card" aria-labelledby="quiz-title">
            <h2 id="quiz-title">${quiz.title}</h2>
            <p>Status: <strong data-quiz-status=${quiz.status}>${quiz.status}</strong> · ${quiz.question_ids.length} question(s)
              · pass at ${quiz.rules.passing_percent}% · ${quiz.rules.time_limit_minutes} min</p>
            <ol>${questions.filter((q) => inQuiz.has(q.id)).map((q) => html`<li>${q.prompt} <span class="meta">(${q.kind}, ${q.points} pts)</span></li>`)}</ol>
            ${quiz.status === "draft" ? html`<button type="button" @click=${publish}>Publish the quiz</button>` : nothing}
          </section>`
        : html`<form class="card" @submit=${createQuiz} aria-labelledby="new-quiz">
            <h2 id="new-quiz">New quiz</h2>
            <fieldset>
              <legend>Questions from the course's bank</legend>
              ${questions.length
                ? questions.map(
                    (q) => html`<label class="choice"><input type="checkbox" .checked=${chosen.has(q.id)}
                      @change=${(e: Event) => ((e.target as HTMLInputElement).checked ? chosen.add(q.id) : chosen.delete(q.id))} />
                      ${q.prompt}</label>`,
                  )
                : html`<p>The bank is empty: add a question below first.</p>`}
            </fieldset>
            ${field("Quiz title", "quiz_title", { value: `${lesson!.title}`, required: true })}
            ${field("Pass mark (%)", "passing", { type: "number", min: 0, value: "70" })}
            ${field("Time limit (minutes)", "time_limit", { type: "number", min: 1, value: "15" })}
            <button type="submit">Create the quiz</button>
          </form>`}
      ${quiz
        ? nothing
        : html`<form class="card narrow" @submit=${addQuestion} aria-labelledby="new-question">
            <h2 id="new-question">Add a question</h2>
            ${select("Kind", "f-q-kind", "q_kind", [["single", "Single choice"], ["true_false", "True or false"]])}
            <div class="field">
              <label for="f-prompt">Question</label>
              <textarea id="f-prompt" name="prompt" rows="2" required></textarea>
            </div>
            <fieldset>
              <legend>Choices (single choice)</legend>
              ${CHOICES.map((id) => field(`Choice ${id.toUpperCase()}`, `choice_${id}`))}
              ${select("Right choice", "f-correct", "correct", CHOICES.map((id) => [id, id.toUpperCase()]))}
            </fieldset>
            ${select("Right answer (true or false)", "f-truth", "truth", [["true", "True"], ["false", "False"]])}
            ${field("Points", "points", { type: "number", min: 1, value: "1" })}
            ${field("Explanation shown after grading", "explanation")}
            <button type="submit">Add the question</button>
          </form>`}`);
  }
  view();
});
