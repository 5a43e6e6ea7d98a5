"""A cycle's one-line summary counts in words that agree with their numbers."""

from __future__ import annotations

from automation.cycle.runtime import CycleReport, counted


def test_plurals_agree() -> None:
    assert counted(1, "case created") == "1 case created"
    assert counted(9, "case created") == "9 cases created"
    assert counted(2, "reply threaded") == "2 replies threaded"
    assert counted(21, "email sent") == "21 emails sent"
    assert counted(3, "update reminder") == "3 update reminders"
    assert counted(6, "escalated") == "6 escalated"  # no noun to agree


def test_summary_uses_them() -> None:
    report = CycleReport()
    report.counts.update({"case created": 9, "email sent": 1, "warning": 0})
    assert report.summary() == "9 cases created, 1 email sent"
    assert CycleReport().summary() == "nothing to do"
