"""What each kind of notification says, in each language the platform writes (English and
German), with ``{name}``-style variables filled from the event. A locale without its own
texts reads English; a variable the event did not carry reads empty."""

from __future__ import annotations

from dataclasses import dataclass

from cmh.notifications.domain.channels import Category

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Text:
    title: str
    body: str


@dataclass(frozen=True)
class Kind:
    category: Category
    texts: dict[str, Text]


KINDS: dict[str, Kind] = {
    "user.welcome": Kind(
        Category.LEARNING,
        {
            "en": Text(
                "Welcome to CloudMastersHub, {name}",
                "Your account is ready. Pick a course and launch your first cloud lab.",
            ),
            "de": Text(
                "Willkommen bei CloudMastersHub, {name}",
                "Dein Konto ist bereit. Wähle einen Kurs und starte dein erstes Cloud-Lab.",
            ),
        },
    ),
    "course.enrolled": Kind(
        Category.LEARNING,
        {
            "en": Text("You are enrolled", "Your new course is waiting for you."),
            "de": Text("Du bist eingeschrieben", "Dein neuer Kurs wartet auf dich."),
        },
    ),
    "course.reminder": Kind(
        Category.LEARNING,
        {
            "en": Text(
                "Pick up where you left off",
                "It has been {days} days since you last learned in this course. A lesson a "
                "day keeps it fresh.",
            ),
            "de": Text(
                "Mach weiter, wo du aufgehört hast",
                "Du hast seit {days} Tagen nicht mehr in diesem Kurs gelernt. Eine Lektion am "
                "Tag hält es frisch.",
            ),
        },
    ),
    "lab.ready": Kind(
        Category.LABS,
        {
            "en": Text("Your lab is ready", "Your cloud environment is provisioned: go build."),
            "de": Text("Dein Lab ist bereit", "Deine Cloud-Umgebung steht bereit: leg los."),
        },
    ),
    "lab.expiring": Kind(
        Category.LABS,
        {
            "en": Text(
                "Your lab ends soon",
                "Your lab session ends at {expires_at}. Extend it or save your work.",
            ),
            "de": Text(
                "Dein Lab endet bald",
                "Deine Lab-Sitzung endet um {expires_at}. Verlängere sie oder sichere deine "
                "Arbeit.",
            ),
        },
    ),
    "lab.failed": Kind(
        Category.LABS,
        {
            "en": Text(
                "Your lab could not start",
                "Something went wrong with your lab session ({reason}). No lab hours were "
                "charged for our failure.",
            ),
            "de": Text(
                "Dein Lab konnte nicht starten",
                "Bei deiner Lab-Sitzung ging etwas schief ({reason}). Für unseren Fehler "
                "wurden keine Lab-Stunden berechnet.",
            ),
        },
    ),
    "lab.torn_down": Kind(
        Category.LABS,
        {
            "en": Text(
                "Your lab is torn down",
                "Your lab session ended ({outcome}) after {minutes} minutes; {tasks} tasks "
                "passed. Its cloud resources are deleted.",
            ),
            "de": Text(
                "Dein Lab ist abgebaut",
                "Deine Lab-Sitzung endete ({outcome}) nach {minutes} Minuten; {tasks} "
                "Aufgaben bestanden. Ihre Cloud-Ressourcen sind gelöscht.",
            ),
        },
    ),
}


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def language_of(locale: str) -> str:
    """``de-AT`` and ``de_DE`` read German; what the platform does not write reads English."""
    language = locale.replace("_", "-").split("-", 1)[0].lower()
    return language if language in ("en", "de") else DEFAULT_LANGUAGE


def text_for(kind: str, locale: str, variables: dict[str, str]) -> Text:
    texts = KINDS[kind].texts
    text = texts.get(language_of(locale), texts[DEFAULT_LANGUAGE])
    filled = _Blank(variables)
    return Text(text.title.format_map(filled), text.body.format_map(filled))
