"""General language knowledge the concept detectors combine (``concepts.py``).

Each entry is a regex fragment, matched case-insensitively, words bounded.
These are meanings any trade shares (a halt, a deadline, a leak, a charge that
disagrees with itself), in the languages the starter tabs cover; what is
particular to a business comes from its owner's tabs, never from here.
"""

from __future__ import annotations

import re


def _alt(*parts: str) -> str:
    return "(?:" + "|".join(parts) + ")"


# A halt or an inability: work that cannot go ahead.
HALT = _alt(
    r"can'?t",
    r"cannot",
    r"couldn'?t",
    r"unable to",
    r"won'?t (?:be|get)",
    r"not (?:be )?(?:able|paid|going|sent|released|reach\w*|arriv\w*|work\w*|load\w*)",
    r"(?:never|hasn'?t|haven'?t|didn'?t|has not|have not|did not) (?:been )?"
    r"(?:reach\w*|arriv\w*|go(?:ne)? (?:out|through)|paid|sent|released|come)",
    r"nothing (?:has )?(?:arrived|works?|loads?|happens)",
    r"(?:is|are|was|were|went|still|been) (?:down|frozen|blocked|stuck|held|offline|idle)",
    r"on hold",
    r"held",
    r"stopped",
    r"blocked",
    r"blocks",
    r"frozen",
    r"out of (?:service|order)",
    r"(?:blank|white|empty) (?:page|screen)",
    r"fail(?:s|ed|ing)?",
    r"missing",
    r"impossible",
    r"bloqu[ée]e?s?",
    r"ne (?:peu[tx]|pouvons|pourrons) pas",
    r"n'y figurent pas",
    r"absents?",
    r"no (?:podemos|puedo|pueden|funciona)",
    r"bloquead[oa]s?",
    r"können nicht",
    r"geht nicht",
    r"gesperrt",
    r"hindi (?:ma|makaka)\w*",
)
# What nearly every customer of a small business uses it for.
CORE = _alt(
    r"pay(?:ing)? (?:the |our |my |his |her |their )?"
    r"(?:staff|employees|wages|salar\w+|crew|team|people|lads|suppliers|them)",
    r"payroll",
    r"pay ?runs?",
    r"wages",
    r"salar(?:y|ies)",
    r"be(?:en)? paid",
    r"get paid",
    r"payslips?",
    r"checkout",
    r"check out",
    r"(?:take|place|taking|placing) (?:orders?|payments?|bookings?)",
    r"ordering",
    r"orders?",
    r"sell(?:ing)?",
    r"trading",
    r"ship(?:ping)?",
    r"open(?:ing)?",
    r"serve|service",
    r"log ?in|sign ?in|log on",
    r"approv\w+",
    r"paie",
    r"payés?",
    r"salaires?",
    r"n[óo]mina",
    r"sueldos?",
    r"gehälter|lohn|löhne",
)
# The work has to happen very soon, or it is stopped for everyone.
IMMINENT = _alt(
    r"today",
    r"tonight",
    r"tomorrow",
    r"this (?:morning|afternoon|evening)",
    r"right now",
    r"cut-?off",
    r"pay ?day",
    r"payout",
    r"same-day",
    r"(?:by|before|until) (?:noon|midday|lunch\w*|\d{1,2}(?::\d\d)?\s*(?:am|pm|h)?|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
    r"(?:every|all|any) (?:users?|staff|customers|employees|logins?|payment methods?)",
    r"for everyone",
    r"nobody can",
    r"during (?:trading|service|opening)",
    r"aujourd'hui",
    r"demain",
    r"hoy",
    r"mañana",
    r"heute",
    r"morgen",
    r"oggi",
    r"domani",
    r"vandaag",
    r"hoje",
    r"amanhã",
    r"ngayon",
    r"bukas",
)
# Said as a time pressure on its own: the urgency trigger without a listed phrase.
NEAR_DEADLINE = _alt(
    r"(?:by|before|until) (?:this )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)",
    r"within (?:a (?:few|couple of) |two |2 |three |3 )?days",
    r"within (?:24|48|72) ?h(?:ours?|rs)?",
    r"(?:deadline|due|cut-?off|meeting|appointment|filing|hearing)\w* (?:\w+ ){0,3}"
    r"(?:today|tonight|tomorrow)",
    r"(?:today|tonight|tomorrow)'?s? (?:deadline|cut-?off|meeting|appointment|hearing)",
    r"(?:by|before|until|due) (?:today|tonight|tomorrow|noon|midday|end of (?:the )?day|eod)",
    r"(?:deadline|due|cut-?off) (?:is )?(?:today|tonight|tomorrow)",
    r"(?:by|before) (?:\d{1,2}(?::\d\d)?\s*(?:am|pm)) (?:today|tomorrow)",
    r"within (?:the hour|\d{1,2} hours)",
    r"first thing tomorrow",
    r"avant (?:demain|ce soir)",
    r"antes de (?:mañana|hoy)",
)
SECURITY = _alt(
    r"phishing",
    r"phish\w*",
    r"scam\w*",
    r"fraud\w*",
    r"impersonat\w+",
    r"lookalike",
    r"look-alike",
    r"spoof\w*",
    r"hack(?:ed|er|ers)",
    r"compromised",
    r"account takeover",
    r"data (?:leak|breach)",
    r"leak\w* (?:\w+ ){0,3}(?:data|details|information|addresses|emails|numbers|records)",
    r"(?:data|details|information|numbers|records|keys?) (?:\w+ ){0,3}(?:leak\w*|exposed)",
    r"exposed (?:\w+ ){0,3}(?:data|details|information|numbers|records|keys?)",
    r"(?:someone|somebody) else'?s",
    r"another (?:customer|client|company|employee)'?s (?:data|details|payslips?|orders?|address)",
    r"(?:sign-?ins?|log-?ins?|logins?) from (?:abroad|another country|an unknown|unknown|overseas)",
    r"(?:unknown|suspicious|unrecogni[sz]ed) (?:log-?ins?|sign-?ins?|logins?|devices?|activity)",
    r"(?:api key|password|credentials|token|secret)s? (?:was |were |is |are |got )?"
    r"(?:exposed|leaked|public|posted|published|committed|shared)",
    r"(?:pushed|posted|committed|published) (?:\w+ ){0,3}(?:api key|password|credentials|token)s?",
    r"password (?:was |has been )?changed",
    r"supposedly from|pretend\w* to be|claim\w* to be from|posing as",
    r"(?:you'?ve|you have|you|they'?ve|they have) changed (?:your |their )?bank\w*",
    r"(?:pay|payment|transfer)\w* (?:\w+ ){0,6}to (?:a |the )?new (?:bank )?account",
    r"did(?:n'?t| not) (?:place|make|order)",
    r"(?:none of (?:them|these) (?:are|were)|(?:that|this|it) (?:wasn'?t|was not)|"
    r"(?:they|these) (?:weren'?t|were not)) (?:us|me)",
    r"new sign-?ins? (?:to|on|from)",
    r"lock (?:that|the|this|his|her) (?:user|account|login)",
    r"(?:sent|e-?mailed|went|gone|delivered) to (?:the )?wrong (?:people|person|employees?|"
    r"recipients?|clients?|customers?)",
    r"hameçonnage|fraude|piratage|usurpation|fuite de données",
    r"estafa|suplantación|filtración",
    r"betrug|gehackt|datenleck",
)
# A charge that disagrees with itself, the plan or the seats.
BILLING = _alt(
    r"charged (?:us |me )?(?:twice|two times|three times|double|again|more)",
    r"double[- ]charged?",
    r"duplicate (?:charges?|payments?|debits?|invoices?)",
    r"(?:invoice|charge|bill|debit|fee)s? (?:\w+ ){0,4}(?:doesn'?t|does not|don'?t|do not) match",
    r"(?:doesn'?t|does not) match (?:\w+ ){0,3}(?:plan|quote|agreed|contract|seats|invoice)",
    r"overcharged",
    r"(?:more|higher) than (?:\w+ ){0,3}(?:agreed|quoted|plan|usual)",
    r"(?:seat|user|licen[cs]e) counts?",
    r"(?:we|i) (?:only )?have \d+ (?:seats|users|employees|staff)",
    r"instead of (?:the )?(?:€|\$|£)?\d",
    r"discrepanc\w+",
)
COSTLY = _alt(
    r"download\w* (?:\w+ ){0,3}and (?:re-?)?upload\w*",
    r"faff|hassle|tedious|time-consuming",
    r"(?:by hand|manually|re-?enter\w*|re-?key\w*|re-?upload\w*|copy and paste)",
    r"workaround",
    r"work-around",
)
RECURRING = _alt(
    r"every (?:day|morning|evening|week|month|time)",
    r"each (?:day|morning|week)",
    r"daily",
    r"(?:an|one|two|\d+) hours? (?:a|per|each) (?:day|week)",
    r"keeps? costing",
    r"costs? us",
    r"hours? (?:of|every)",
)
# Time a fault keeps costing, said outright: a costly workaround on its own.
COST_OF_TIME = _alt(
    r"(?:takes?|taking|costs?|costing|los(?:e|es|ing)|wast(?:e|es|ing)|spend(?:s|ing)?) "
    r"(?:us |me )?(?:about |around |roughly |nearly |over )?(?:an|one|two|three|half an|\d+) "
    r"hours? (?:a|per|each|every) (?:day|week)",
    r"keeps? costing (?:us )?(?:time|hours)",
)
# The customer questions the relationship itself: churn, for any sender.
LEAVING = _alt(
    r"(?:whether|if) (?:we'?re|we are|i'?m|i am) with the right (?:firm|provider|supplier|company|"
    r"accountant|partner)",
    r"convince (?:me|us) (?:to stay|(?:that )?we should stay|why we should stay)",
    r"(?:look|looking|shop\w*) (?:around|elsewhere) for",
    r"(?:cheaper|better) (?:service|provider|supplier|option|alternative)s? "
    r"(?:out there|elsewhere)",
    r"(?:move|moving|take|taking) (?:our|my) (?:business|account|work) elsewhere",
)
# Frustration in words no owner list has to carry.
FRUSTRATION = _alt(
    r"losing (?:my |our )?patience",
    r"(?:at|on) (?:my|our) wits'? end",
    r"sick and tired",
    r"had enough",
    r"(?:trying|try) (?:very |really )?hard to stay calm",
    r"i feel sick",
)
STATUTORY = _alt(
    r"avis de cotisation|opposition|date limite|revenu québec",
    r"declaración|plazo|hacienda|finanzamt|frist",
    r"(?:data )?subject access request",
    r"dsar",
    r"right of access",
    r"gdpr",
    r"erasure request",
    r"revenue|hmrc|cra|irs|revenu québec|bir",
    r"tax (?:authority|office|audit|assessment|clearance|inspector)",
    r"audit",
    r"assessment",
    r"objection",
    r"records? of employment|roe",
    r"statutory",
    r"filing",
)
DATED = _alt(
    r"(?:avant|d'ici|au plus tard) (?:le )?(?:\d{1,2}|début|fin)",
    r"(?:antes del?|hasta el) \d{1,2}",
    r"within \d+ (?:days|weeks|business days)",
    r"(?:due|deadline|closes?|by|before) (?:\w+ ){0,3}(?:\d{1,2}(?:st|nd|rd|th)?|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"monday|tuesday|wednesday|thursday|friday|next week|end of)",
    r"in (?:\w+ ){0,1}(?:days|weeks)",
    r"one month|30 days|\d+ days",
)
RELATIONSHIP = _alt(
    r"renewal",
    r"renew(?:ing)?",
    r"(?:other|another|alternative|new) (?:providers?|suppliers?|accountants?|bureau|vendors?)",
    r"(?:review|reviewing|reconsider\w*|rethink\w*) (?:\w+ ){0,3}"
    r"(?:relationship|contract|suppliers?|providers?|partnership)",
    r"move (?:\w+ ){0,2}(?:to|away)",
    r"terminat\w+",
    r"tender",
    r"(?:contract|agreement) (?:is )?(?:up|under review|ends?)",
)
DISPUTE = _alt(
    r"dispute\w*",
    r"refuse to pay",
    r"(?:not|won'?t) (?:be )?pay(?:ing)? (?:this|that|the) (?:invoice|bill|fee)",
    r"withh[oe]ld\w* (?:\w+ ){0,2}payment",
    r"breach\w* (?:of )?(?:the |our |your )?(?:contract|agreement|engagement|terms)",
    r"small claims",
)
PROSPECT = _alt(
    r"quote",
    r"quotation",
    r"proposal",
    r"pricing",
    r"(?:a )?demo",
    r"looking for (?:a |an )?(?:new )?(?:provider|supplier|accountant|bureau|partner|firm)",
    r"(?:would|could) you (?:take us on|handle|quote)",
    r"interested in (?:your|using|working)",
    r"(?:decide|decision) (?:by|before|in)",
    r"(?:start|switch|onboard\w*) (?:in|on|from|by) ",
    r"presupuesto|cotización|devis|angebot",
)
SIZE = _alt(
    r"\d[\d,.]* (?:\w+ ){0,2}(?:staff|employees|people|sites|locations|stores|shops|cafés|cafes|"
    r"branches|entities|companies|users|seats|restaurants|clinics|outlets|units|orders)",
    r"(?:two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|several) "
    r"(?:\w+ ){0,1}(?:sites|locations|stores|shops|cafés|cafes|branches|entities|companies|"
    r"restaurants|clinics|outlets)",
    r"dos empresas|deux sociétés|deux entreprises",
)
# The sender takes the pressure off: "no rush", "not urgent", "whenever".
CALM = _alt(
    r"no (?:rush|hurry)",
    r"not (?:at all )?(?:urgent|in a hurry|pressing|time-sensitive)",
    r"nothing urgent",
    r"whenever (?:you|it suits|convenient)",
    r"no hay prisa",
    r"sin prisa",
    r"no es urgente",
    r"rien d'urgent",
    r"pas (?:d')?urgent",
    r"pas pressé",
    r"keine eile",
    r"nicht dringend",
    r"geen haast",
    r"niet dringend",
    r"non è urgente",
    r"sem pressa",
    r"walang madalian",
    r"hindi (?:ito )?urgent",
)


# The same meanings in Japanese, Chinese and Korean, matched without word
# boundaries (those scripts put no spaces between words).
UNSPACED: dict[str, str] = {
    "HALT": _alt(
        "できません",
        "できない",
        "止まって",
        "停止",
        "使えません",
        "届いていません",
        "无法",
        "不能",
        "停了",
        "没有到账",
        "할 수 없",
        "안 됩니다",
        "멈췄",
    ),
    "CORE": _alt(
        "給与",
        "給料",
        "支払",
        "注文",
        "決済",
        "ログイン",
        "工资",
        "薪水",
        "付款",
        "订单",
        "登录",
        "급여",
        "월급",
        "지급",
        "주문",
        "로그인",
    ),
    "IMMINENT": _alt(
        "今日", "本日", "明日", "至急", "今天", "明天", "马上", "오늘", "내일", "지금"
    ),
    "SECURITY": _alt(
        "フィッシング",
        "なりすまし",
        "不正アクセス",
        "漏洩",
        "钓鱼",
        "冒充",
        "泄露",
        "盗号",
        "피싱",
        "사칭",
        "유출",
        "해킹",
    ),
    "CALM": _alt("急ぎません", "急いでいません", "不急", "不着急", "급하지 않", "천천히"),
}


def compile_words(fragment: str, unspaced: str = "") -> re.Pattern[str]:
    """``fragment`` as a case-insensitive regex bounded by non-word characters,
    or ``unspaced`` (CJK words) anywhere."""
    bounded = r"(?<!\w)" + fragment + r"(?!\w)"
    return re.compile(bounded + ("|" + unspaced if unspaced else ""), re.IGNORECASE)
