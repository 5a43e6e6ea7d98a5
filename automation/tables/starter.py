"""The owner-edited tabs ``sheetdesk init`` creates, with starter rows.

Written for a small-business owner: every header has a note saying what to
type, fixed-value columns get dropdowns, and the starter rows work as they
stand for a one-person business (everything routes to the Owner row) while
showing how to add people, topics and phrases.
"""

from __future__ import annotations

from automation.ports import TabSpec
from automation.tables import schema as s
from automation.tables.owner_tables import (
    CATEGORIES,
    DEFAULT_FLOORS,
    RULE_SUBJECTS,
    STRATEGIES,
    TOPIC_SIGNALS,
)
from automation.tables.starter_phrases import starter_phrase_rows

YES_NO = ("Yes", "No")
PRIORITIES = ("Low", "High", "Critical")
ROLES = "general, billing, refunds, technical, sales, retention, legal"


def _team() -> TabSpec:
    return TabSpec(
        title=s.TEAM,
        header=s.TEAM_COLUMNS,
        rows=(
            (
                "Owner",
                "",
                ROLES,
                "3",
                "Europe/London",
                "Mon-Fri",
                "09:00",
                "17:30",
                "5",
                "",
                "en",
                "Yes",
            ),
        ),
        notes={
            "Name": "One row per person who handles cases. Names must be unique; other tabs "
            "refer to people by this name.",
            "Email": "Their work address (used to recognise mail they forward from customers).",
            "Roles": "Kinds of case they handle, comma-separated. Each role must appear on the "
            "Topics tab (or be the default role on Settings).",
            "Tier": "1 = frontline, 2 = specialist / department head, 3 = owner or senior. "
            "Critical cases go to tier 2 or higher; tier 3 people are told about every "
            "Critical case.",
            "Time zone": "Where they work, as a place name like Europe/London, America/Denver "
            "or Australia/Melbourne (daylight saving is handled).",
            "Working days": "Like Mon-Fri or Mon, Tue, Thu.",
            "Start": "Shift start, 24-hour clock (09:00). The shift includes this minute.",
            "End": "Shift end (17:30). The shift stops just before this minute. An end before "
            "the start means a night shift.",
            "Max open cases": "New cases stop going to them at this many open cases (3-5 is "
            "typical). When everyone is full, new cases wait in a queue.",
            "Backup": "Who takes their cases when they are away, full, or off shift for urgent "
            "cases. Must be a name from this tab.",
            "Languages": "Language codes they answer in, e.g. en, de, es.",
            "Active": "No = keep the row but stop routing to them.",
        },
        choices={"Tier": ("1", "2", "3"), "Active": YES_NO},
    )


def _topics() -> TabSpec:
    rows = (
        ("Account security", "technical", "password reset, two-factor", "", "security concern"),
        (
            "Legal and disputes",
            "legal",
            "contract, terms and conditions, dispute, liability",
            "",
            "legal threat",
        ),
        ("Leaving or cancelling", "retention", "cancel, cancellation, competitor", "", "leaving"),
        (
            "Refunds and returns",
            "refunds",
            "refund, return, money back, send it back, reimburse, cancel my order, erstattung, "
            "rückerstattung, reembolso, devolución, rimborso, terugbetaling, remboursement",
            "",
            "",
        ),
        (
            "Billing and invoices",
            "billing",
            "invoice, charged, charge, payment, receipt, vat, tax, billing, overcharged, "
            "direct debit, credit note, statement, card declined, payment declined, rechnung, "
            "abbuchung, zahlung, lastschrift, kreditkarte, factura, cobro, pago, tarjeta, fattura, "
            "addebito, pagamento, carta di credito, factuur, betaling, incasso, fatura, cobrança, "
            "cartão, facture, paiement, carte bancaire",
            "",
            "",
        ),
        (
            "Website, app and log-in",
            "technical",
            "website, app, log in, login, error, bug, crash, api, integration, webhook, "
            "checkout, not loading, account access, passwort, fehler, contraseña, errore, "
            "wachtwoord, senha, mot de passe",
            "",
            "",
        ),
        (
            "Sales and quotes",
            "sales",
            "quote, pricing, price list, wholesale, bulk, discount, demo, trial, catalogue, "
            "catalog, partnership, reseller",
            "",
            "qualified prospect",
        ),
        (
            "Orders and delivery",
            "general",
            "order status, delivery, shipping, tracking, parcel, courier, where is my order, "
            "address change, lieferung, sendung, envío, entrega, pedido, spedizione, consegna, "
            "ordine, levering, bestelling, encomenda, livraison",
            "",
            "",
        ),
    )
    return TabSpec(
        title=s.TOPICS,
        header=s.TOPICS_COLUMNS,
        rows=rows,
        notes={
            "Topic": "What a case can be about. Rows higher up win ties.",
            "Role": "Which role handles this topic (people get roles on the Team tab).",
            "Keywords": "Words or phrases, comma-separated, that show a case is on this topic. "
            "Whole words only: 'api' does not match 'rapid'. Put a pattern between slashes.",
            "Expert": "Optional: a person who always gets this topic (their backup when they "
            "are away).",
            "Also when": "Optional: a signal from the Triggers tab that puts the case on this "
            "topic straight away, whatever the keywords say.",
        },
        choices={"Also when": TOPIC_SIGNALS},
    )


def _triggers() -> TabSpec:
    return TabSpec(
        title=s.TRIGGERS,
        header=s.TRIGGERS_COLUMNS,
        rows=starter_phrase_rows(),
        notes={
            "Category": "complexity / urgency / value / emotion are the four escalation "
            "triggers; the others are signals the Priorities tab and Topics tab use.",
            "Phrase": "Found in the customer's own new text (not quoted mail or signatures), "
            "ignoring capitals, whole words only. 'not urgent' does not count as urgent.",
            "Language": "Optional language code: the phrase only counts in mail in that language.",
            "Kind": "phrase (normal) or pattern (a regular expression, for experts).",
        },
        choices={"Category": CATEGORIES, "Kind": ("phrase", "pattern")},
    )


_FLOOR_NOTES = {
    "operations stopped": "The customer cannot work or sell at all.",
    "security concern": "Phishing, fraud, hacked or leaked accounts.",
    "legal threat": "Lawyers, courts, contract disputes.",
    "major client complaint": "An account from the Accounts tab is unhappy.",
    "no workaround": "Something is broken and the customer has no way around it.",
    "urgency": "Time pressure: deadlines, 'urgent', can't log in.",
    "emotion": "Frustration, disappointment, confusion.",
    "leaving": "The customer talks about cancelling or leaving.",
    "needs more authority": "They ask for a manager; the case also goes up a tier.",
    "costly workaround": "A fault they work around at a cost (by hand, every day, fragile fix).",
    "qualified prospect": "A buying enquiry that names its size (sites, volumes, contract).",
    "billing discrepancy": "A charge that does not match the plan, the seats or itself.",
    "statutory deadline": "A clock set by law or an authority (access request, tax letter).",
    "repeated contact": "They say they are writing again, or the case has several messages.",
    "commitment breached": "They wrote again after our promised response time passed.",
}


def _priorities() -> TabSpec:
    rows = tuple(
        (r.subject, r.floor.label, _FLOOR_NOTES.get(r.subject, "")) for r in DEFAULT_FLOORS
    )
    rows += (
        ("complexity", "Low", "Hard but not pressing: no faster than Low by itself."),
        (
            "value",
            "Low",
            "Important customer asking something ordinary: routed to their "
            "account manager, priority unchanged.",
        ),
    )
    return TabSpec(
        title=s.PRIORITIES,
        header=s.PRIORITIES_COLUMNS,
        rows=rows,
        notes={
            "When found": "A trigger or signal sheetdesk finds in a message.",
            "Priority at least": "The case gets at least this priority. When several rows apply "
            "the highest wins; when none applies the case is Low. Change a case's Priority "
            "cell on the Cases tab to overrule sheetdesk for good.",
            "Why": "Your own explanation; sheetdesk ignores it.",
        },
        choices={"When found": RULE_SUBJECTS, "Priority at least": PRIORITIES},
    )


def _response() -> TabSpec:
    return TabSpec(
        title=s.RESPONSE,
        header=s.RESPONSE_COLUMNS,
        rows=(
            ("Low", "8h", "40h", s.CLOCK_BUSINESS, ""),
            ("High", "4h", "16h", s.CLOCK_BUSINESS, ""),
            ("Critical", "1h", "8h", s.CLOCK_ALWAYS, "Owner"),
        ),
        notes={
            "Priority": "One row per priority.",
            "First response within": "Promise for the first answer: 30m, 4h, 2 days.",
            "Resolve within": "Promise for solving it.",
            "Clock": "business hours = only the assignee's working hours count; around the "
            "clock = nights and weekends count too.",
            "Tell": "Managers to notify for every case of this priority (names from Team).",
        },
        choices={"Priority": PRIORITIES, "Clock": (s.CLOCK_BUSINESS, s.CLOCK_ALWAYS)},
    )


def _simple(title: str, header: tuple[str, ...], notes: dict[str, str]) -> TabSpec:
    return TabSpec(title=title, header=header, notes=notes)


def _regions() -> TabSpec:
    return TabSpec(
        title=s.REGIONS,
        header=s.REGIONS_COLUMNS,
        rows=(
            (
                "Europe",
                "uk, ie, de, at, ch, fr, be, nl, lu, es, pt, it, dk, se, no, fi, pl, cz",
                "-02:59",
                "+04:59",
                "",
            ),
            ("Americas", "us, ca, mx, br, ar, cl, co", "-12:00", "-03:00", ""),
            ("Asia-Pacific", "au, nz, jp, sg, in, hk, cn, kr", "+05:00", "+14:00", ""),
        ),
        notes={
            "Region": "A name for a group of customers.",
            "Country codes": "The end of customers' mail domains (.de, .co.uk -> uk).",
            "UTC offset from": "Used when the domain says nothing (.com): the time zone offset "
            "in the customer's mail, lowest value of the band.",
            "UTC offset to": "Highest offset of the band.",
            "Preference order": "Optional: names of people, best first, for this region. "
            "Leave empty to share cases out in turn.",
        },
    )


_STEP_NOTES = {
    "expert": "A topic with an expert always goes to that expert.",
    "account manager": "Mail from a key account goes to its account manager.",
    "language": "Mail not in the main language goes to someone who speaks it.",
    "region": "First person in the region's preference order.",
    "round robin": "Otherwise cases are shared out in turn among those who qualify.",
    "tier": "Critical cases go to tier 2 or higher; 'needs more authority' goes up a tier.",
    "hours": "Off-shift people's urgent cases go to their on-shift backup.",
    "away": "People on the Coverage tab are skipped (always applied).",
    "workload": "People at their max open cases are skipped (always applied).",
}


def _routing() -> TabSpec:
    return TabSpec(
        title=s.ROUTING,
        header=s.ROUTING_COLUMNS,
        rows=tuple((step, "Yes", _STEP_NOTES[step]) for step in STRATEGIES),
        notes={
            "Step": "Routing steps, applied top to bottom. Reorder rows to change precedence.",
            "Use": "No = skip this step. Away and workload are always respected.",
            "What it does": "Explanation only.",
        },
        choices={"Step": STRATEGIES, "Use": YES_NO},
    )


_SETTINGS: tuple[tuple[str, str, str], ...] = (
    ("Default role", "general", "Role for cases that match no topic."),
    ("Main language", "en", "The language most mail comes in."),
    ("Business time zone", "Europe/London", "For due times of unassigned cases."),
    ("Business days", "Mon-Fri", "Opening days."),
    ("Business hours start", "09:00", "Opening time."),
    ("Business hours end", "17:30", "Closing time."),
    ("Default max open cases", "5", "Used where a Team row has no max."),
    (
        "Acronyms (not shouting)",
        "VAT, API, PDF, CSV, FAQ, USA, UK, EU, SKU, ID, OK, ASAP, URL",
        "Capitalised words that are not shouting.",
    ),
    ("Shouting: capital words in a row", "4", "This many capitalised words in a row = shouting."),
    (
        "Repeated contact: earlier messages",
        "3",
        "A case with this many earlier customer messages counts as repeated contact.",
    ),
    (
        "Backup takes off-shift cases from",
        "High",
        "Cases of this priority or above go to an on-shift backup when the chosen person is off.",
    ),
    ("After-hours emergency list", "", "Names to try for Critical cases when everyone is off."),
    ("Default region", "Europe", "Region when the address and time zone say nothing."),
    (
        "Key account: contract value from",
        "0",
        "Accounts tab rows below this yearly value do not count as key accounts.",
    ),
    (
        "What our customers can't work without",
        "",
        "Comma-separated: what your customers use you for (take orders, pay run, the portal). "
        "When a customer says one of these has stopped, the case is operations stopped.",
    ),
)


def starter_tabs() -> list[TabSpec]:
    """The owner-edited tabs with headers, notes, dropdowns and starter rows."""
    return [
        _team(),
        _topics(),
        _triggers(),
        _priorities(),
        _response(),
        _simple(
            s.ACCOUNTS,
            s.ACCOUNTS_COLUMNS,
            {
                "Domain": "A key account's mail domain (example.com); subdomains count too.",
                "Company": "Their name, shown in the why.",
                "Plan": "Optional: their plan or contract type.",
                "Contract value per year": "Optional: a number; see the Settings threshold.",
                "Account manager": "Optional: who always gets their cases (name from Team).",
            },
        ),
        _simple(
            s.COVERAGE,
            s.COVERAGE_COLUMNS,
            {
                "Person": f"A name from Team, or {s.EVERYONE} for a public holiday or closure.",
                "From": "First day away, like 2025-12-24.",
                "To": "Last day away (leave empty for a single day).",
                "Note": "Optional, e.g. holiday, training.",
            },
        ),
        _regions(),
        _routing(),
        TabSpec(
            title=s.SETTINGS,
            header=s.SETTINGS_COLUMNS,
            rows=_SETTINGS,
            notes={
                "Setting": "Leave the names as they are.",
                "Value": "Your value.",
                "What it means": "Explanation only.",
            },
            choices={"Setting": tuple(s.SETTING_LABELS)},
        ),
    ]
