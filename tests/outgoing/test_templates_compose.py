"""Templates render sandboxed and strict; emails thread and resist header injection."""

from __future__ import annotations

import email
import email.policy
from datetime import UTC, datetime
from pathlib import Path

import pytest

from automation import config
from automation.errors import TemplateError
from automation.model import Address
from automation.outgoing import contexts as outgoing
from automation.outgoing.compose import build
from automation.outgoing.templates import Rendered, TemplateSet

CFG = config.from_dict({"business": {"name": "Acme", "support_address": "help@acme.example"}})


def test_builtin_acknowledgement_states_reference_next_steps_and_commitment() -> None:
    ts = TemplateSet(None, outgoing.sample_context(CFG))
    ctx = outgoing.sample_context(CFG)
    out = ts.render("acknowledgement", ctx, priority="High")
    assert "[Case #1000]" in out.subject
    assert "Case #1000" in out.text and "What happens next" in out.text
    assert "C-1000" not in out.text  # one reference format: the subject's
    assert "(UTC+01:00)" in out.text  # the due time in the customer's own offset
    assert "<strong>Case #1000</strong>" in out.html


def test_html_block_escapes_customer_text() -> None:
    ts = TemplateSet(None, outgoing.sample_context(CFG))
    ctx = outgoing.sample_context(CFG)
    ctx["customer"]["first_name"] = "<script>x</script>"
    out = ts.render("acknowledgement", ctx)
    assert "<script>" not in out.html and "&lt;script&gt;" in out.html
    assert "<script>x</script>" in out.text  # plain text is not HTML


def _owner_dir(tmp_path: Path, body: str) -> Path:
    (tmp_path / "acknowledgement.j2").write_text(body)
    return tmp_path


def test_typo_in_owner_template_fails_at_load(tmp_path: Path) -> None:
    body = (
        "{% block subject %}{{ case.tagg }}{% endblock %}{% block text %}x{% endblock %}"
        "{% block html %}x{% endblock %}"
    )
    with pytest.raises(TemplateError, match="tagg"):
        TemplateSet(_owner_dir(tmp_path, body), outgoing.sample_context(CFG))


def test_sandbox_blocks_python_internals(tmp_path: Path) -> None:
    body = (
        "{% block subject %}{{ case.__class__.__mro__ }}{% endblock %}"
        "{% block text %}{{ ''.__class__.__subclasses__() }}{% endblock %}"
        "{% block html %}x{% endblock %}"
    )
    with pytest.raises(TemplateError):
        TemplateSet(_owner_dir(tmp_path, body), outgoing.sample_context(CFG))


def test_per_priority_override_wins(tmp_path: Path) -> None:
    (tmp_path / "acknowledgement.critical.j2").write_text(
        "{% block subject %}{{ case.tag }} On it now{% endblock %}"
        "{% block text %}Critical: {{ case.id }}{% endblock %}{% block html %}c{% endblock %}"
    )
    ts = TemplateSet(tmp_path, outgoing.sample_context(CFG))
    ctx = outgoing.sample_context(CFG)
    assert ts.render("acknowledgement", ctx, priority="Critical").subject.endswith("On it now")
    assert "On it now" not in ts.render("acknowledgement", ctx, priority="Low").subject


def test_header_injection_is_impossible() -> None:
    rendered = Rendered("Re: hi\r\nBcc: victim@evil.example", "body", "<p>body</p>")
    msg = build(
        rendered,
        sender=Address("Acme", "help@acme.example"),
        to=[Address("Eve\r\nBcc: x@evil.example", "eve@example.org")],
        message_id="C-1.ack.1@acme.example",
        in_reply_to="cust@x\r\nX-Evil: 1",
        references=["cust@x"],
        loop_token="acme.example",
        date=datetime(2026, 1, 1, tzinfo=UTC),
    )
    parsed = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    assert parsed["Bcc"] is None and parsed["X-Evil"] is None
    assert parsed["Auto-Submitted"] == "auto-replied"
    assert parsed["In-Reply-To"].startswith("<cust@x")
    assert parsed.get_body(("html",)) is not None and parsed.get_body(("plain",)) is not None


def test_internal_html_shows_the_address_and_names_its_own_deadline() -> None:
    ts = TemplateSet(None, outgoing.sample_context(CFG))
    values = {
        "Case ID": "C-1000",
        "Customer": "Sam <b>Sample</b>",
        "Customer email": "sam@example.org",
        "Subject": "Lamp",
        "First response due": "met",
        "Resolution due": "2026-01-07 09:00+00:00",
        "Routed to": "Alex Agent",
    }
    for event, what in (
        ("warning-resolution~alex-agent", "resolution"),
        ("warning~x", "resolution"),
    ):
        ctx = outgoing.case_context(values, CFG, event=event)
        out = ts.render("breach_warning", ctx)
        assert f"{what.capitalize()} due 2026-01-07 09:00+00:00" in out.subject
        assert "&lt;sam@example.org&gt;" in out.html  # not swallowed as a tag
        assert "<b>Sample</b>" not in out.html and "&lt;b&gt;Sample" in out.html
        assert "business.sheet_url" not in out.text + out.html  # no config hints
    first = dict(values, **{"First response due": "2026-01-05 13:00+00:00"})
    out = ts.render("breach_warning", outgoing.case_context(first, CFG, event="warning-first~a"))
    assert "first reply is due by 2026-01-05 13:00+00:00" in out.text
    out = ts.render("escalation", outgoing.case_context(first, CFG, event="escalated-first~a"))
    assert "first reply was due by 2026-01-05 13:00+00:00" in out.text
    assert "->" not in out.text  # the escalation says it in words, not as a log line
