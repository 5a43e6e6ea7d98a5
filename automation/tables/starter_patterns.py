"""Starter trigger rows that are not plain English phrases: phrases in the other
languages the starter set covers, and patterns where a phrase list can't say it
(a number of sites, an outage phrased many ways).  Generic, like the phrases."""

from __future__ import annotations

OTHER_LANGUAGES: tuple[tuple[str, str, str], ...] = (
    ("urgency", "dringend", "de"),
    ("urgency", "sofort", "de"),
    ("urgency", "eilig", "de"),
    ("urgency", "urgente", "es"),
    ("urgency", "lo antes posible", "es"),
    ("urgency", "urgente", "it"),
    ("urgency", "subito", "it"),
    ("urgency", "spoed", "nl"),
    ("urgency", "dringend", "nl"),
    ("urgency", "urgente", "pt"),
    ("urgency", "urgência", "pt"),
    ("urgency", "urgent", "fr"),
    ("urgency", "au plus vite", "fr"),
    ("urgency", "abgelehnt", "de"),
    ("urgency", "wird verlängert", "de"),
    ("urgency", "rechazada", "es"),
    ("urgency", "se renueva", "es"),
    ("urgency", "rifiutata", "it"),
    ("urgency", "si rinnova", "it"),
    ("urgency", "geweigerd", "nl"),
    ("urgency", "wordt verlengd", "nl"),
    ("urgency", "recusado", "pt"),
    ("urgency", "renova", "pt"),
    ("urgency", "refusée", "fr"),
    ("urgency", "renouvelle", "fr"),
    ("emotion", "enttäuscht", "de"),
    ("emotion", "unverschämt", "de"),
    ("emotion", "frechheit", "de"),
    ("emotion", "inakzeptabel", "de"),
    ("emotion", "inaceptable", "es"),
    ("emotion", "decepcionado", "es"),
    ("emotion", "inaccettabile", "it"),
    ("emotion", "deluso", "it"),
    ("emotion", "teleurgesteld", "nl"),
    ("emotion", "onacceptabel", "nl"),
    ("emotion", "belachelijk", "nl"),
    ("emotion", "inaceitável", "pt"),
    ("emotion", "decepcionado", "pt"),
    ("emotion", "déçu", "fr"),
    ("emotion", "inacceptable", "fr"),
    ("operations stopped", "funktioniert nicht mehr", "de"),
    ("operations stopped", "ausgefallen", "de"),
    ("operations stopped", "no funciona", "es"),
    ("operations stopped", "non funziona", "it"),
    ("operations stopped", "werkt niet meer", "nl"),
    ("operations stopped", "não funciona", "pt"),
    ("operations stopped", "en panne", "fr"),
    ("operations stopped", "geht nichts mehr", "de"),
    ("operations stopped", "steht still", "de"),
    ("operations stopped", "komplett ausgefallen", "de"),
    ("operations stopped", "no funciona nada", "es"),
    ("operations stopped", "está caída", "es"),
    ("operations stopped", "no podemos vender", "es"),
    ("operations stopped", "fuera de servicio", "es"),
    ("operations stopped", "fuori servizio", "it"),
    ("operations stopped", "è tutto fermo", "it"),
    ("operations stopped", "non possiamo lavorare", "it"),
    ("operations stopped", "ligt plat", "nl"),
    ("operations stopped", "ligt eruit", "nl"),
    ("operations stopped", "niets werkt", "nl"),
    ("operations stopped", "buiten gebruik", "nl"),
    ("operations stopped", "fora do ar", "pt"),
    ("operations stopped", "fora de serviço", "pt"),
    ("operations stopped", "não conseguimos vender", "pt"),
    ("operations stopped", "hors service", "fr"),
    ("operations stopped", "ne fonctionne plus", "fr"),
    ("operations stopped", "plus rien ne marche", "fr"),
    ("emotion", "verwirrt", "de"),
    ("emotion", "nicht zufrieden", "de"),
    ("emotion", "confundido", "es"),
    ("emotion", "harto", "es"),
    ("emotion", "confuso", "it"),
    ("emotion", "stufo", "it"),
    ("emotion", "in de war", "nl"),
    ("emotion", "niet tevreden", "nl"),
    ("emotion", "confuso", "pt"),
    ("emotion", "farto", "pt"),
    ("emotion", "pas content", "fr"),
    ("emotion", "confus", "fr"),
    ("costly workaround", "von hand", "de"),
    ("costly workaround", "manuell", "de"),
    ("costly workaround", "a mano", "es"),
    ("costly workaround", "a mano", "it"),
    ("costly workaround", "handmatig", "nl"),
    ("costly workaround", "met de hand", "nl"),
    ("costly workaround", "à mão", "pt"),
    ("costly workaround", "manualmente", "pt"),
    ("costly workaround", "à la main", "fr"),
    ("costly workaround", "manuellement", "fr"),
    ("leaving", "anderen lieferanten", "de"),
    ("leaving", "otro proveedor", "es"),
    ("leaving", "altro fornitore", "it"),
    ("leaving", "andere leverancier", "nl"),
    ("leaving", "outro fornecedor", "pt"),
    ("leaving", "autre fournisseur", "fr"),
    ("legal threat", "anwalt", "de"),
    ("legal threat", "rechtsanwalt", "de"),
    ("legal threat", "abogado", "es"),
    ("legal threat", "avvocato", "it"),
    ("legal threat", "advocaat", "nl"),
    ("legal threat", "advogado", "pt"),
    ("legal threat", "avocat", "fr"),
    ("leaving", "kündigen", "de"),
    ("leaving", "opzeggen", "nl"),
    ("leaving", "disdire", "it"),
    # Japanese, Chinese and Korean: matched inside running text (no spaces).
    ("urgency", "至急", "ja"),
    ("urgency", "緊急", "ja"),
    ("urgency", "急ぎ", "ja"),
    ("urgency", "本日中", "ja"),
    ("urgency", "紧急", "zh"),
    ("urgency", "尽快", "zh"),
    ("urgency", "急需", "zh"),
    ("urgency", "긴급", "ko"),
    ("urgency", "급합니다", "ko"),
    ("urgency", "최대한 빨리", "ko"),
    ("emotion", "がっかり", "ja"),
    ("emotion", "ひどい", "ja"),
    ("emotion", "困っています", "ja"),
    ("emotion", "失望", "zh"),
    ("emotion", "太差", "zh"),
    ("emotion", "실망", "ko"),
    ("emotion", "화가", "ko"),
    ("operations stopped", "使えません", "ja"),
    ("operations stopped", "止まって", "ja"),
    ("operations stopped", "無法使用", "zh"),
    ("operations stopped", "无法使用", "zh"),
    ("operations stopped", "瘫痪", "zh"),
    ("operations stopped", "사용할 수 없", "ko"),
    ("operations stopped", "멈췄", "ko"),
    ("security concern", "フィッシング", "ja"),
    ("security concern", "不正アクセス", "ja"),
    ("security concern", "詐欺", "ja"),
    ("security concern", "钓鱼", "zh"),
    ("security concern", "诈骗", "zh"),
    ("security concern", "泄露", "zh"),
    ("security concern", "피싱", "ko"),
    ("security concern", "해킹", "ko"),
    ("security concern", "사기", "ko"),
    ("legal threat", "弁護士", "ja"),
    ("legal threat", "律师", "zh"),
    ("legal threat", "변호사", "ko"),
    ("leaving", "解約", "ja"),
    ("leaving", "取消订阅", "zh"),
    ("leaving", "해지", "ko"),
)

PATTERNS: tuple[tuple[str, str], ...] = (
    # "the shop/portal/site is down", "our website has been offline since 9"
    (
        "operations stopped",
        r"\b(?:site|shop|store|portal|system|server|app|checkout|website|platform)\s+"
        r"(?:is|was|has\s+been|went|seems|keeps\s+going)\s+(?:completely\s+)?(?:down|offline)\b",
    ),
    # "we can't process any orders", "unable to take payments"
    (
        "operations stopped",
        r"\b(?:can't|cannot|can\s+not|unable\s+to)\s+(?:place|take|process|ship|accept)\s+"
        r"(?:any\s+)?(?:orders?|payments?)\b",
    ),
    # "an error when we click Place order": ordering itself is blocked
    (
        "operations stopped",
        r"\b(?:error|fails?|failing|went\s+wrong|won't\s+load|doesn't\s+load)\b[^.!?]{0,60}"
        r"\b(?:place\s+(?:an?\s+|the\s+)?orders?|checkout|check\s+out)\b",
    ),
    # "an order none of us made", "our address had been changed": account takeover
    (
        "security concern",
        r"\b(?:didn't|did\s+not|never)\s+(?:place|placed|authori[sz]e[ds]?)\b"
        r"|\border(?:s)?\s+(?:that\s+)?(?:none\s+of\s+us|(?:we|i)\s+(?:didn't|did\s+not|never))"
        r"\s+(?:placed|made|ordered)\b",
    ),
    (
        "security concern",
        r"\b(?:address|e-?mail|password|bank\s+details|login)\s+(?:had|has|have|was|were)\s+"
        r"(?:been\s+)?changed\b(?![^.]{0,40}\b(?:by\s+me|as\s+requested))",
    ),
    # "a breach of our agreement": a contract dispute, not a data breach
    (
        "legal threat",
        r"\bbreach(?:es|ed)?\s+(?:of\s+)?(?:the\s+|our\s+|this\s+|your\s+|its\s+)?"
        r"(?:agreement|contract|terms|lease)\b",
    ),
    # "by Friday", "before Monday": a named day as a deadline
    (
        "urgency",
        r"\b(?:by|before|until)\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
        r"|end\s+of\s+(?:the\s+)?day|noon|tomorrow)\b",
    ),
    # "I have been waiting 3 weeks"
    (
        "emotion",
        r"\bwaiting\s+(?:for\s+)?(?:over\s+)?(?:\d+|two|three|four|several)\s+"
        r"(?:days|weeks|months)\b",
    ),
    # "the checkout keeps showing 502 Bad Gateway": a server error on the way to paying
    (
        "operations stopped",
        r"\b(?:checkout|check-out|payment\s+page|basket|cart)\b[^.!?]{0,60}"
        r"(?:\b5\d\d\b|bad\s+gateway|blank\s+(?:white\s+)?page|won't\s+load|doesn't\s+load)",
    ),
    # "a blank page after login for all nine of our sites": broken for everyone
    (
        "operations stopped",
        r"\b(?:blank|error|fails?|failing|failed|down|broken|not\s+working|can't|cannot)\b"
        r"[^.!?]{0,80}\b(?:for\s+(?:everyone|everybody|all\s+(?:of\s+)?(?:our|us|the|\w+\s+of\s+our)\b)"
        r"|affecting\s+(?:everyone|everybody|all))",
    ),
    # "the portal won't let us order anything", "we can't order anything"
    (
        "operations stopped",
        r"\b(?:won't|will\s+not|doesn't|does\s+not)\s+let\s+(?:us|me)\s+(?:order|buy|pay|check\s*out|log\s*in)"
        r"|\b(?:can't|cannot|unable\s+to)\s+(?:order|buy|check\s*out)\s+(?:anything|at\s+all)\b",
    ),
    # "we don't have a second machine", "our only grinder": the one tool they work with
    (
        "operations stopped",
        r"\b(?:don't|do\s+not|doesn't|does\s+not)\s+have\s+(?:a\s+|another\s+|any\s+)?"
        r"(?:second|spare|backup|other|replacement)\s+(?:machine|unit|device|one)\b"
        r"|\b(?:our|the|my)\s+only\s+(?:\w+\s+)?(?:machine|unit|device|till|server|printer|van|oven)\b"
        r"[^.!?]{0,60}\b(?:down|dead|broken|not\s+working|stopped|failed|out\s+of\s+service)\b",
    ),
    # "without a machine we're opening without espresso"
    (
        "operations stopped",
        r"\bwithout\s+(?:a|the|our|any)\s+(?:working\s+)?(?:machine|system|till|server|equipment)"
        r"\b[^.!?]{0,40}\b(?:open|opening|trade|trading|serve|service)\b",
    ),
    # "can't pay wages in the morning": our mistake stops their business
    (
        "operations stopped",
        r"\b(?:can't|cannot|unable\s+to|won't\s+be\s+able\s+to)\s+pay\s+(?:our\s+|my\s+|the\s+)?"
        r"(?:staff|wages|salaries|payroll|rent|suppliers)\b",
    ),
    # "the whole shop is down", "all our sites are offline"
    (
        "operations stopped",
        r"\b(?:whole|entire|all\s+(?:of\s+)?our)\s+\w+(?:\s+\w+)?\s+(?:is|are|went|has\s+gone|have\s+gone)\s+"
        r"(?:down|offline|dead)\b",
    ),
    # "every morning", "each week, about 40 minutes": a workaround that keeps costing time
    (
        "costly workaround",
        r"\b(?:by\s+hand|manually)\b[^.!?]{0,40}\b(?:every|each)\s+(?:day|morning|week|time|order)\b",
    ),
    # "12 sites", "three locations", "10 hotels": a multi-site customer
    (
        "value",
        r"\b(?:\d{1,3}|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
        r"several|multiple)\s+(?:\w+\s+)?(?:sites|locations|stores|shops|branches|venues|cafés|"
        r"cafes|restaurants|hotels|outlets|offices|clinics|salons|studios)\b",
    ),
)
