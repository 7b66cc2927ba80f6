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
    "attempt.passed": Kind(
        Category.LEARNING,
        {
            "en": Text(
                "You passed: {percent}%",
                "Your attempt is graded: {score} of {max_score} points ({percent}%). Well "
                "done. Review your answers to see what you mastered.",
            ),
            "de": Text(
                "Bestanden: {percent} %",
                "Dein Versuch ist bewertet: {score} von {max_score} Punkten ({percent} %). "
                "Gut gemacht. Sieh dir deine Antworten an, um zu sehen, was du beherrschst.",
            ),
        },
    ),
    "attempt.failed": Kind(
        Category.LEARNING,
        {
            "en": Text(
                "Not passed this time: {percent}%",
                "Your attempt is graded: {score} of {max_score} points ({percent}%). Review "
                "your answers, revisit the lessons and try again.",
            ),
            "de": Text(
                "Diesmal nicht bestanden: {percent} %",
                "Dein Versuch ist bewertet: {score} von {max_score} Punkten ({percent} %). "
                "Sieh dir deine Antworten an, wiederhole die Lektionen und versuch es erneut.",
            ),
        },
    ),
    "certificate.issued": Kind(
        Category.LEARNING,
        {
            "en": Text(
                "Your certificate is ready",
                "Congratulations: your certificate is issued (code {code}). Download the PDF; "
                "anyone can verify it at {verify_url}",
            ),
            "de": Text(
                "Dein Zertifikat ist da",
                "Glückwunsch: dein Zertifikat ist ausgestellt (Code {code}). Lade das PDF "
                "herunter; jeder kann es unter {verify_url} prüfen.",
            ),
        },
    ),
    "certificate.revoked": Kind(
        Category.LEARNING,
        {
            "en": Text(
                "Your certificate was revoked",
                "Your certificate {code} was revoked: {reason}. Its verification page now "
                "says so. Contact support if you think this is a mistake.",
            ),
            "de": Text(
                "Dein Zertifikat wurde widerrufen",
                "Dein Zertifikat {code} wurde widerrufen: {reason}. Seine Prüfseite zeigt "
                "das jetzt an. Melde dich beim Support, wenn du das für einen Irrtum hältst.",
            ),
        },
    ),
    "payment.succeeded": Kind(
        Category.BILLING,
        {
            "en": Text(
                "Payment received: {amount}",
                "Thank you: we received {amount} for {plan}. Your receipt is in your billing "
                "history.",
            ),
            "de": Text(
                "Zahlung erhalten: {amount}",
                "Danke: wir haben {amount} für {plan} erhalten. Deine Quittung findest du in "
                "deinem Zahlungsverlauf.",
            ),
        },
    ),
    "payment.failed": Kind(
        Category.BILLING,
        {
            "en": Text(
                "Your payment of {amount} failed",
                "We could not charge {amount} for {plan} ({reason}). Update your payment "
                "method in your billing settings: a subscription's charge is retried over "
                "the next days, a lab-hour pack can be bought again.",
            ),
            "de": Text(
                "Deine Zahlung über {amount} ist fehlgeschlagen",
                "Wir konnten {amount} für {plan} nicht abbuchen ({reason}). Aktualisiere deine "
                "Zahlungsmethode in deinen Zahlungseinstellungen: ein Abo wird in den nächsten "
                "Tagen erneut belastet, ein Lab-Stunden-Paket kannst du erneut kaufen.",
            ),
        },
    ),
    "refund.issued": Kind(
        Category.BILLING,
        {
            "en": Text(
                "Refund issued: {amount}",
                "We refunded {amount}. Depending on your bank it reaches your account within "
                "5 to 10 business days.",
            ),
            "de": Text(
                "Erstattung veranlasst: {amount}",
                "Wir haben {amount} erstattet. Je nach Bank ist der Betrag in 5 bis 10 "
                "Werktagen auf deinem Konto.",
            ),
        },
    ),
    "forum.reply": Kind(
        Category.COMMUNITY,
        {
            "en": Text("New reply to your thread", "Someone replied to your thread in the forum."),
            "de": Text(
                "Neue Antwort auf dein Thema", "Jemand hat auf dein Thema im Forum geantwortet."
            ),
        },
    ),
    "forum.mentioned": Kind(
        Category.COMMUNITY,
        {
            "en": Text("You were mentioned", "Someone mentioned you in a forum post."),
            "de": Text("Du wurdest erwähnt", "Jemand hat dich in einem Forenbeitrag erwähnt."),
        },
    ),
    "forum.answer_accepted": Kind(
        Category.COMMUNITY,
        {
            "en": Text(
                "Your answer was accepted",
                "Your answer was accepted as the solution. Thank you for helping.",
            ),
            "de": Text(
                "Deine Antwort wurde akzeptiert",
                "Deine Antwort wurde als Lösung akzeptiert. Danke für deine Hilfe.",
            ),
        },
    ),
    # The platform's alerts (Alertmanager's webhook), told to every administrator.
    "platform.alert_firing": Kind(
        Category.OPERATIONS,
        {
            "en": Text("Alert {alertname} ({severity})", "{summary}\n\n{description}"),
            "de": Text("Alarm {alertname} ({severity})", "{summary}\n\n{description}"),
        },
    ),
    "platform.alert_resolved": Kind(
        Category.OPERATIONS,
        {
            "en": Text("Resolved: {alertname}", "{summary}\n\nThe alert is over."),
            "de": Text("Behoben: {alertname}", "{summary}\n\nDer Alarm ist vorbei."),
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
