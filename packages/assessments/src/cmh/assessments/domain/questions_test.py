from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cmh.assessments.domain.errors import InvalidAnswer, InvalidQuestion
from cmh.assessments.domain.questions import Choice, Key, Question, QuestionKind, normalised

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
ABC = (Choice("a", "Alpha"), Choice("b", "Beta"), Choice("c", "Gamma"))


def question(kind: QuestionKind, key: Key, choices: tuple[Choice, ...] = ()) -> Question:
    return Question.create(
        "q1",
        course_id="c1",
        owner_id="teacher",
        kind=kind,
        prompt="What?",
        points=2,
        skills=("S3", " s3 ", "IAM"),
        choices=choices,
        key=key,
        now=NOW,
    )


def test_each_kind_marks_the_right_answer_only() -> None:
    single = question(QuestionKind.SINGLE, Key(choice_ids=("b",)), ABC)
    assert single.is_correct("b")
    assert not single.is_correct("a")
    multiple = question(QuestionKind.MULTIPLE, Key(choice_ids=("a", "c")), ABC)
    assert multiple.is_correct(["c", "a"])
    assert not multiple.is_correct(["a"])
    assert not multiple.is_correct(["a", "b", "c"])
    truth = question(QuestionKind.TRUE_FALSE, Key(truth=False))
    assert truth.is_correct(False)
    assert not truth.is_correct(True)
    text = question(QuestionKind.SHORT_TEXT, Key(accepted=("Amazon S3",)))
    assert text.is_correct("  amazon   s3. ")
    assert not text.is_correct("S3 Glacier")
    assert not single.is_correct(None)


def test_skills_are_normalised_and_deduplicated() -> None:
    assert question(QuestionKind.TRUE_FALSE, Key(truth=True)).skills == ("s3", "iam")


@pytest.mark.parametrize(
    ("kind", "key", "choices", "field"),
    [
        (QuestionKind.SINGLE, Key(choice_ids=("a", "b")), ABC, "key.choice_ids"),
        (QuestionKind.SINGLE, Key(choice_ids=("z",)), ABC, "key.choice_ids"),
        (QuestionKind.MULTIPLE, Key(choice_ids=("a",)), ABC[:1], "choices"),
        (QuestionKind.TRUE_FALSE, Key(), (), "key.truth"),
        (QuestionKind.NUMERIC, Key(value=1.0, tolerance=-1), (), "key.tolerance"),
        (QuestionKind.NUMERIC, Key(value=float("nan")), (), "key.value"),
        (QuestionKind.SHORT_TEXT, Key(accepted=("  ",)), (), "key.accepted"),
        (QuestionKind.ORDERING, Key(choice_ids=("a", "b")), ABC, "key.choice_ids"),
        (QuestionKind.LAB_TASK, Key(lab_template_id="t"), (), "key.lab_task_id"),
        (
            QuestionKind.SINGLE,
            Key(choice_ids=("a",)),
            (Choice("a", "x"), Choice("a", "y")),
            "choices",
        ),
    ],
)
def test_a_broken_question_names_its_field(
    kind: QuestionKind, key: Key, choices: tuple[Choice, ...], field: str
) -> None:
    with pytest.raises(InvalidQuestion) as refused:
        question(kind, key, choices)
    assert refused.value.field == field


def test_answers_of_the_wrong_shape_are_refused_when_saved() -> None:
    single = question(QuestionKind.SINGLE, Key(choice_ids=("b",)), ABC)
    with pytest.raises(InvalidAnswer):
        single.check_answer("z")
    numeric = question(QuestionKind.NUMERIC, Key(value=3.0))
    with pytest.raises(InvalidAnswer):
        numeric.check_answer(True)
    numeric.check_answer(3)


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
tolerances = st.floats(min_value=0, max_value=1e3, allow_nan=False)


@given(expected=finite, tolerance=tolerances, share=st.floats(min_value=-1, max_value=1))
def test_numeric_answers_within_the_tolerance_are_right(
    expected: float, tolerance: float, share: float
) -> None:
    q = question(QuestionKind.NUMERIC, Key(value=expected, tolerance=tolerance))
    assert q.is_correct(expected + share * tolerance)


@given(expected=finite, tolerance=tolerances, beyond=st.floats(min_value=1e-3, max_value=1e6))
def test_numeric_answers_beyond_the_tolerance_are_wrong(
    expected: float, tolerance: float, beyond: float
) -> None:
    q = question(QuestionKind.NUMERIC, Key(value=expected, tolerance=tolerance))
    margin = tolerance + beyond + 1e-6 * abs(expected)
    assert not q.is_correct(expected + margin)
    assert not q.is_correct(expected - margin)


@given(st.permutations(["a", "b", "c", "d", "e"]), st.permutations(["a", "b", "c", "d", "e"]))
def test_an_ordering_is_right_only_in_the_keyed_order(
    key: list[str], given_order: list[str]
) -> None:
    choices = tuple(Choice(i, i.upper()) for i in "abcde")
    q = question(QuestionKind.ORDERING, Key(choice_ids=tuple(key)), choices)
    assert q.is_correct(given_order) is (given_order == key)
    assert not q.is_correct(given_order[:-1])


@given(st.text(max_size=40))
def test_normalising_is_idempotent(text: str) -> None:
    assert normalised(normalised(text)) == normalised(text)
