"""Owner phrases used in another sense: a hit that matched the words but not the
meaning the category stands for.  The guide's triggers are about what the
customer means; an owner's list of single words ("leave", "!!!", "new bank
details") cannot carry that, so each check here reads the words around a hit.
Pure functions over the normalised text the hit was found in.
"""

from __future__ import annotations

import re

from automation.decide.matching import Hit

# "our new bank details", "my address has changed": the customer's own change.
_OWN = re.compile(r"\b(?:our|my)\s+(?:[\w-]+\s+)?$", re.IGNORECASE)
_THREAT = re.compile(
    r"\b(?:someone|somebody|not (?:us|me)|wasn'?t (?:us|me)|didn'?t|did not|unknown|fraud\w*|"
    r"scam\w*|phish\w*|suspicious|hack\w*|supposedly|pretend\w*|been (?:changed|reset|updated)|"
    r"confirm|verify|click|link|asks? (?:me|us))\b",
    re.IGNORECASE,
)
_CHANGE = re.compile(r"\b(?:new|chang\w*|updat\w*|moved)\b", re.IGNORECASE)
# "maternity leave", "annual leave", "leave pay": time off, not leaving us.
_TIME_OFF_BEFORE = re.compile(
    r"\b(?:maternity|paternity|parental|sick|annual|unpaid|holiday|compassionate|bereavement|"
    r"study|carer'?s|on|of|garden(?:ing)?)\s+$",
    re.IGNORECASE,
)
_TIME_OFF_AFTER = re.compile(
    r"^\s*(?:pay|allowance|entitlement|balance|days?|request|cover|starts?|ends?|from|until|for)\b",
    re.IGNORECASE,
)
_PRAISE = re.compile(
    r"\b(?:thank\w*|brilliant|great|amazing|fantastic|delighted|love|lovely|wonderful|"
    r"excellent|perfect|well done|superb|smooth(?:ly)?|easy)\b",
    re.IGNORECASE,
)
_GRIPE = re.compile(
    r"\b(?:not|never|no|still|again|why|wrong|worst|terrible|awful|unacceptable)\b", re.IGNORECASE
)


def other_sense(hit: Hit, text: str) -> str | None:
    """Why ``hit`` does not mean its category here, or None when it does."""
    category, matched = hit.phrase.category, hit.matched
    before = text[max(0, hit.start - 30) : hit.start]
    around = text[max(0, hit.start - 150) : hit.end + 150]
    own_change = _CHANGE.search(matched) and _OWN.search(before)
    if category == "security concern" and own_change and not _THREAT.search(around):
        return "the customer's own change, no sign of a threat"
    if category in ("emotion", "leaving") and matched.casefold().startswith("leave"):
        if _TIME_OFF_BEFORE.search(before) or _TIME_OFF_AFTER.match(text[hit.end : hit.end + 20]):
            return "time off, not leaving us"
    if category == "emotion" and not any(c.isalnum() for c in matched):
        if _PRAISE.search(around) and not _GRIPE.search(around):
            return "delight, not anger"
    return None
