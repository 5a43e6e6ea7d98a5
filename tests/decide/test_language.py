"""Language detection: CJK by script (no word boundaries), Tagalog and the
European languages by function words; short or mixed text -> the main language."""

from __future__ import annotations

import pytest

from automation.decide.language import detect_language


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("至急ご対応お願いします。給与の支払いができません。", "ja"),
        ("我们今天无法登录系统，工资发不出去，请尽快处理。", "zh"),
        ("로그인이 안 됩니다. 오늘 급여를 지급해야 합니다.", "ko"),
        ("Magandang araw po! Hindi ko po makita ang payslip ko, salamat po.", "tl"),
        ("Bonjour, nous ne pouvons pas valider la paie de cette semaine, merci.", "fr"),
        ("Hello, could you send me the invoice for March please? Thanks.", "en"),
        ("OK", "en"),
        ("Hello, the 東京 store order is late, could you check it please? Thanks.", "en"),
    ],
)
def test_detects(text: str, code: str) -> None:
    assert detect_language(text, "en").code == code


def test_japanese_mail_is_judged_and_routed_to_the_japanese_speaker() -> None:
    from automation.decide.core import decide
    from automation.decide.load import TeamLoad
    from automation.model import Priority
    from tests.support.decide_builders import TEAM_HEADER, TEAM_ROWS, TUESDAY_MORNING, msg, tables

    # Ben (general, tier 2) also reads Japanese; Ana would be first in the region order.
    team = [list(row) for row in TEAM_ROWS]
    ben = next(row for row in team if row[0] == "Ben")
    ben[2], ben[10] = "general, billing", "en, ja"
    t = tables(Team=(TEAM_HEADER, *map(tuple, team)))
    text = "至急：本日、従業員への給与の支払いができません。"
    decision = decide(msg(text=text, subject="給与"), None, t, TeamLoad(), TUESDAY_MORNING)
    assert decision.language == "ja"
    assert decision.priority is Priority.CRITICAL, decision.why
    assert "concept operations stopped" in decision.why and "至急" in decision.why
    calm = decide(
        msg(text="急ぎませんので、請求書をもう一度送っていただけますか。", subject="請求書"),
        None,
        t,
        TeamLoad(),
        TUESDAY_MORNING,
    )
    assert calm.priority is Priority.LOW, calm.why
    # Low, so no tier step: Ben gets it only because he reads Japanese.
    assert calm.assignee == "Ben" and "speakers of ja" in calm.why, calm.why
