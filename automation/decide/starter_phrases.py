"""Generic starter phrases for the Triggers tab: what any small business could
begin from.  Deliberately about meaning common to most trades (outages,
billing mix-ups, churn talk), in the main European languages, and nothing
about any particular business.  Owners add their own trade's words."""

from __future__ import annotations

# (category, phrase, language or "", kind)
PHRASE = "phrase"
PATTERN = "pattern"

_BY_CATEGORY: dict[str, tuple[str, ...]] = {
    "complexity": (
        "api", "webhook", "integration", "integrate", "import", "export", "migration",
        "migrate", "sync", "csv", "single sign-on", "sso", "charged twice", "double charge",
        "double-charged", "discrepancy", "doesn't match", "does not match", "reconcile",
        "several systems", "custom setup", "configuration",
    ),
    "urgency": (
        "urgent", "urgently", "asap", "as soon as possible", "immediately", "right away",
        "today", "tonight", "tomorrow morning", "deadline", "time-sensitive", "time sensitive",
        "emergency", "cut-off", "cutoff", "can't log in", "cannot log in", "locked out",
        "payment failed", "before the renewal", "renews", "expires",
    ),
    "value": (
        "enterprise", "annual contract", "multi-year", "procurement", "purchase order",
        "volume pricing", "bulk order", "tender", "rfp", "franchise", "all our locations",
        "all our sites", "wholesale account", "partnership", "large order",
    ),
    "emotion": (
        "ridiculous", "unacceptable", "disappointed", "disappointing", "frustrated",
        "frustrating", "fed up", "expected better", "still waiting", "nobody replied",
        "no one replied", "no one has replied", "nobody has replied", "no response",
        "waste of time", "terrible", "awful", "worst", "never again", "a joke", "chargeback",
        "bad review", "very unhappy", "extremely unhappy", "makes no sense", "so confused",
        "!!!",
    ),
    "operations stopped": (
        "outage", "is down", "went down", "are down", "stopped working completely",
        "not working at all", "nothing works", "completely broken", "error 500",
        "can't place orders", "cannot place orders", "can't take orders", "can't check out",
        "cannot check out", "checkout is broken", "we can't work", "business has stopped",
    ),
    "security concern": (
        "phishing", "suspicious email", "scam", "hacked", "data breach", "leaked",
        "unauthorised", "unauthorized", "fraud", "fraudulent", "account takeover",
        "password was changed", "someone logged into", "did not place this order",
        "didn't place this order", "identity theft", "malware",
    ),
    "legal threat": (
        "lawyer", "solicitor", "attorney", "legal action", "small claims", "court",
        "breach of contract", "contract dispute", "sue", "ombudsman", "trading standards",
        "consumer protection", "consumer authority",
    ),
    "leaving": (
        "cancel my account", "close my account", "cancel our contract", "cancel my subscription",
        "considering leaving", "thinking of leaving", "switch supplier", "switching supplier",
        "go elsewhere", "take our business elsewhere", "move to a competitor", "not renew",
        "won't renew",
    ),
    "no workaround": (
        "no workaround", "no way to", "tried everything", "still broken", "still not working",
        "keeps happening", "not working", "doesn't work", "does not work", "stopped working",
    ),
    "needs more authority": (
        "speak to a manager", "talk to a manager", "your manager", "supervisor",
        "escalate this", "someone senior", "speak to the owner", "compensation",
    ),
}

_OTHER_LANGUAGES: tuple[tuple[str, str, str], ...] = (
    ("urgency", "dringend", "de"), ("urgency", "sofort", "de"), ("urgency", "eilig", "de"),
    ("urgency", "urgente", "es"), ("urgency", "lo antes posible", "es"),
    ("urgency", "urgente", "it"), ("urgency", "subito", "it"),
    ("urgency", "spoed", "nl"), ("urgency", "dringend", "nl"),
    ("urgency", "urgente", "pt"), ("urgency", "urgência", "pt"),
    ("urgency", "urgent", "fr"), ("urgency", "au plus vite", "fr"),
    ("emotion", "enttäuscht", "de"), ("emotion", "unverschämt", "de"),
    ("emotion", "frechheit", "de"), ("emotion", "inakzeptabel", "de"),
    ("emotion", "inaceptable", "es"), ("emotion", "decepcionado", "es"),
    ("emotion", "inaccettabile", "it"), ("emotion", "deluso", "it"),
    ("emotion", "teleurgesteld", "nl"), ("emotion", "onacceptabel", "nl"),
    ("emotion", "belachelijk", "nl"), ("emotion", "inaceitável", "pt"),
    ("emotion", "decepcionado", "pt"), ("emotion", "déçu", "fr"),
    ("emotion", "inacceptable", "fr"),
    ("operations stopped", "funktioniert nicht mehr", "de"),
    ("operations stopped", "ausgefallen", "de"), ("operations stopped", "no funciona", "es"),
    ("operations stopped", "non funziona", "it"), ("operations stopped", "werkt niet meer", "nl"),
    ("operations stopped", "não funciona", "pt"), ("operations stopped", "en panne", "fr"),
    ("legal threat", "anwalt", "de"), ("legal threat", "rechtsanwalt", "de"),
    ("legal threat", "abogado", "es"), ("legal threat", "avvocato", "it"),
    ("legal threat", "advocaat", "nl"), ("legal threat", "advogado", "pt"),
    ("legal threat", "avocat", "fr"),
    ("leaving", "kündigen", "de"), ("leaving", "opzeggen", "nl"), ("leaving", "disdire", "it"),
)  # fmt: skip

_PATTERNS: tuple[tuple[str, str], ...] = (
    # "the shop/portal/site is down", "our website has been offline since 9"
    ("operations stopped",
     r"\b(?:site|shop|store|portal|system|server|app|checkout|website|platform)\s+"
     r"(?:is|was|has\s+been|went|seems|keeps\s+going)\s+(?:completely\s+)?(?:down|offline)\b"),
    # "we can't process any orders", "unable to take payments"
    ("operations stopped",
     r"\b(?:can't|cannot|can\s+not|unable\s+to)\s+(?:place|take|process|ship|accept)\s+"
     r"(?:any\s+)?(?:orders?|payments?)\b"),
    # "by Friday", "before Monday": a named day as a deadline
    ("urgency",
     r"\b(?:by|before|until)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
     r"|end\s+of\s+(?:the\s+)?day|noon|tomorrow)\b"),
    # "I have been waiting 3 weeks"
    ("emotion", r"\bwaiting\s+(?:for\s+)?(?:over\s+)?(?:\d+|two|three|four|several)\s+"
     r"(?:days|weeks|months)\b"),
)  # fmt: skip


def starter_phrase_rows() -> tuple[tuple[str, str, str, str], ...]:
    """Rows for the Triggers tab: Category, Phrase, Language, Kind."""
    rows = [(cat, text, "", PHRASE) for cat, texts in _BY_CATEGORY.items() for text in texts]
    rows += [(cat, text, lang, PHRASE) for cat, text, lang in _OTHER_LANGUAGES]
    rows += [(cat, text, "", PATTERN) for cat, text in _PATTERNS]
    return tuple(rows)
