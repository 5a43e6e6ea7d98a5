"""The words customer emails are built from, per language (pure).

Templates hold the prose; this module holds what the prose is built from and
must not be worked out in a template: a duration as a person says it ("8
business hours", "8 Geschäftsstunden"), a date with its weekday and month
names, the team's name, what happens next.  Every phrase exists in every
language of ``LANGUAGES`` (checked at import), and any other language reads
as English, so a customer never gets a half-translated email.
"""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

LANGUAGES: tuple[str, ...] = ("en", "de", "fr", "es", "ja")
DEFAULT = "en"

_UNITS = {  # minute|minutes|hour|hours|business hours|day|days|business days
    lang: tuple(units.split("|"))
    for lang, units in {
        "en": "minute|minutes|hour|hours|business hours|day|days|business days",
        "de": "Minute|Minuten|Stunde|Stunden|Geschäftsstunden|Tag|Tagen|Werktagen",
        "fr": "minute|minutes|heure|heures|heures ouvrées|jour|jours|jours ouvrés",
        "es": "minuto|minutos|hora|horas|horas hábiles|día|días|días hábiles",
        "ja": "分|分|時間|時間|営業時間|日|日|営業日",
    }.items()
}
_WITHIN = {
    "en": "a first reply from a person within {span}",
    "de": "eine erste Antwort von einem Menschen innerhalb von {span}",
    "fr": "une première réponse d'une personne sous {span}",
    "es": "una primera respuesta de una persona en un plazo de {span}",
    "ja": "{span}以内に担当者から最初のご連絡",
}
_SOON = {
    "en": "a first reply from a person as soon as we can",
    "de": "eine erste Antwort von einem Menschen, so schnell wir können",
    "fr": "une première réponse d'une personne dès que possible",
    "es": "una primera respuesta de una persona lo antes posible",
    "ja": "できるだけ早く担当者から最初のご連絡",
}
_NEXT = {  # by priority, without naming it: what the customer can expect
    "en": (
        "a senior member of the team has been alerted and is looking at it now.",
        "the right person on the team has your case and will reply with a plan.",
        "a member of the team will read it and reply; nothing more is needed from you.",
    ),
    "de": (
        "ein erfahrenes Teammitglied ist bereits informiert und kümmert sich jetzt darum.",
        "die richtige Person in unserem Team hat Ihren Fall und meldet sich mit einem Plan.",
        "jemand aus dem Team liest Ihre Nachricht und antwortet; Sie müssen nichts weiter tun.",
    ),
    "fr": (
        "un membre expérimenté de l'équipe a été alerté et s'en occupe dès maintenant.",
        "la bonne personne de l'équipe a votre dossier et reviendra vers vous avec un plan.",
        "un membre de l'équipe va le lire et vous répondre ; vous n'avez rien d'autre à faire.",
    ),
    "es": (
        "una persona con experiencia del equipo ya está avisada y lo está revisando ahora.",
        "la persona adecuada del equipo tiene su caso y le responderá con un plan.",
        "alguien del equipo lo leerá y le responderá; no necesita hacer nada más.",
    ),
    "ja": (
        "経験豊富な担当者がすでに対応を始めています。",
        "適切な担当者がお問い合わせを確認し、対応方針をご連絡します。",
        "担当者が内容を確認してご返信します。追加のご対応は不要です。",
    ),
}
_TEAMS = {  # role -> team name; "support" for any role not listed
    "en": {"technical": "technical", "billing": "billing", "refunds": "billing", "sales": "sales",
           "retention": "customer success", "legal": "management", "general": "support"},
    "de": {"technical": "Technik", "billing": "Buchhaltung", "refunds": "Buchhaltung",
           "sales": "Vertrieb", "retention": "Kundenbetreuung", "legal": "Geschäftsleitung",
           "general": "Support"},
    "fr": {"technical": "technique", "billing": "facturation", "refunds": "facturation",
           "sales": "commerciale", "retention": "relation client", "legal": "direction",
           "general": "support"},
    "es": {"technical": "técnico", "billing": "de facturación", "refunds": "de facturación",
           "sales": "comercial", "retention": "de atención al cliente", "legal": "de dirección",
           "general": "de soporte"},
    "ja": {"technical": "技術", "billing": "請求", "refunds": "請求", "sales": "営業",
           "retention": "カスタマーサクセス", "legal": "管理", "general": "サポート"},
}  # fmt: skip
_DAYS = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    "de": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "es": "lunes martes miércoles jueves viernes sábado domingo",
    "ja": "月 火 水 木 金 土 日",
}
_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
    "diciembre",
    "ja": "1 2 3 4 5 6 7 8 9 10 11 12",
}
for _table in (_UNITS, _WITHIN, _SOON, _NEXT, _TEAMS, _DAYS, _MONTHS):
    assert set(_table) == set(LANGUAGES), _table


def language(code: str) -> str:
    """The template language for a detected language ("de", "de-AT", "DE"); English
    for anything without a set."""
    base = code.strip().lower().replace("_", "-").split("-")[0]
    return base if base in LANGUAGES else DEFAULT


def span(delta: timedelta, business: bool, lang: str) -> str:
    """A target as a person says it: "30 minutes", "8 business hours", "2 business days"."""
    u = _UNITS[lang]
    minutes = round(delta.total_seconds() / 60)
    if minutes < 60 or minutes % 60:
        n, unit = minutes, u[0] if minutes == 1 else u[1]
    elif minutes % (60 * 24) == 0 and not business:
        n = minutes // (60 * 24)
        unit = u[5] if n == 1 else u[6]
    elif business and minutes % (60 * 24) == 0:
        n, unit = minutes // (60 * 24), u[7]  # "2 days" typed as business time
    else:
        n = minutes // 60
        unit = u[4] if business else u[2] if n == 1 else u[3]
    if lang == "en" and n == 1:
        unit = unit.removesuffix("s")
    return f"{n}{unit}" if lang == "ja" else f"{n} {unit}"


def commitment(delta: timedelta | None, business: bool, lang: str) -> str:
    """The first-reply promise in words matching the configured target."""
    if delta is None:
        return _SOON[lang]
    return _WITHIN[lang].format(span=span(delta, business, lang))


def next_steps(priority: str, lang: str) -> str:
    index = {"Critical": 0, "High": 1}.get(priority, 2)
    return _NEXT[lang][index]


def team(role: str, lang: str) -> str:
    return _TEAMS[lang].get(role, _TEAMS[lang]["general"])


def when(moment: datetime, tz: tzinfo | None, lang: str) -> str:
    """A date and time with its zone, the way the language writes it."""
    local = moment.astimezone(tz) if tz else moment
    offset = local.strftime("%z")
    zone = f"UTC{offset[:3]}:{offset[3:]}" if offset else "UTC"
    day = _DAYS[lang].split()[local.weekday()]
    month = _MONTHS[lang].split()[local.month - 1]
    clock = f"{local:%H:%M}"
    if lang == "ja":
        return f"{local.year}年{month}月{local.day}日({day}) {clock} ({zone})"
    if lang == "en":
        return f"{day} {local.day} {month} {local.year}, {clock} ({zone})"
    if lang == "de":
        return f"{day}, {local.day}. {month} {local.year}, {clock} Uhr ({zone})"
    joiner = "à" if lang == "fr" else "a las"
    return f"{day} {local.day} {month} {local.year} {joiner} {clock} ({zone})"
