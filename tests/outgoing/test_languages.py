"""Customer emails in the customer's language, with the configured promise in words."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from automation import config
from automation.model import Priority
from automation.outgoing import contexts as outgoing
from automation.outgoing import wording
from automation.outgoing.templates import TemplateSet
from automation.sheet import sent_log as sentlog
from automation.tables.owner_tables import DEFAULT_TABLES, Commitment

CFG = config.from_dict({"business": {"name": "Acme", "support_address": "help@acme.example"}})
CUSTOMER_EMAILS = ("acknowledgement", "progress_update", "handoff", "resolution", "closing")
NOW = datetime(2026, 12, 8, 9, 0, tzinfo=UTC)


def _row(language: str, priority: str = "Low") -> dict[str, str]:
    return {
        "Case ID": "C-1042",
        "Customer": "Yuki Tanaka",
        "Customer email": "yuki@example.jp",
        "Subject": "納期について",
        "Priority (auto)": priority,
        "Role": "billing",
        "Routed to": "Sam Okoye",
        "Language": language,
        "First response due": "2026-12-08 17:00+00:00",
        "Customer time zone": "+09:00",
        "Message to customer": "It ships Friday.",
        "Resolution summary": "Shipped.",
        "Sent log": "",
    }


def _email(language: str, kind: str = "ack", priority: str = "Low") -> tuple[str, str, str]:
    templates = TemplateSet(None, outgoing.sample_context(CFG))
    entry = sentlog.Entry(kind, f"C-1042.{kind}.x@acme.example", "pending", None)
    out = outgoing.build("C-1042", entry, _row(language, priority), CFG, templates, NOW)
    assert out is not None
    body = out.email.get_body(("plain",)).get_content()
    html = out.email.get_body(("html",)).get_content()
    return str(out.email["Subject"]), body, html


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("de", ("Ihre Referenz lautet Case #1042", "innerhalb von 4 Stunden", "Dezember")),
        ("fr", ("Votre référence est Case #1042", "sous 4 heures", "décembre")),
        ("es", ("Su referencia es Case #1042", "plazo de 4 horas", "diciembre")),
        ("ja", ("受付番号は Case #1042", "4時間以内", "2026年12月9日")),
        ("en", ("Your reference is Case #1042", "within 4 hours", "December")),
        ("pt", ("Your reference is Case #1042", "within 4 hours", "December")),  # no set: English
    ],
)
def test_acknowledgement_speaks_the_customers_language(
    language: str, words: tuple[str, ...]
) -> None:
    subject, text, html = _email(language)
    assert subject.startswith("[Case #1042] ")
    for word in words:
        assert word in text, (word, text)
    assert "C-1042" not in text and "Low" not in text  # no internal id, no priority name
    assert words[0].split()[-1] in html


def test_every_customer_email_exists_in_every_language() -> None:
    templates = TemplateSet(None, outgoing.sample_context(CFG))
    ctx = outgoing.sample_context(CFG)
    for name in CUSTOMER_EMAILS:
        english = templates.render(name, ctx, language="en").text
        for language in ("de", "fr", "es", "ja"):
            assert templates.render(name, ctx, language=language).text != english, (name, language)


def test_the_promise_follows_the_configured_target() -> None:
    assert wording.commitment(timedelta(minutes=30), False, "en").endswith("within 30 minutes")
    assert wording.commitment(timedelta(hours=1), True, "en").endswith("1 business hour")
    assert wording.commitment(timedelta(days=2), True, "de").endswith("2 Werktagen")
    assert wording.commitment(timedelta(days=2), False, "fr").endswith("2 jours")
    fast = Commitment(Priority.LOW, timedelta(minutes=45), timedelta(days=1), True)
    quick = dataclasses.replace(DEFAULT_TABLES, commitments=(fast,))
    ctx = outgoing.ack_context(_row("en"), CFG, quick)
    assert ctx["commitment"]["summary"] == "a first reply from a person within 45 minutes"


def test_owner_override_for_one_language_only(tmp_path: Path) -> None:
    (tmp_path / "de").mkdir()
    (tmp_path / "de" / "acknowledgement.j2").write_text(
        "{% block subject %}Moin {{ case.reference }}{% endblock %}"
        "{% block text %}Moin!{% endblock %}{% block html %}<p>Moin!</p>{% endblock %}"
    )
    templates = TemplateSet(tmp_path, outgoing.sample_context(CFG))
    ctx = outgoing.sample_context(CFG)
    assert templates.render("acknowledgement", ctx, language="de").text == "Moin!\n"
    assert "merci d'avoir" in templates.render("acknowledgement", ctx, language="fr").text
    assert "Thanks" in templates.render("acknowledgement", ctx, language="en").text
