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
