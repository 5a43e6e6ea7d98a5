"""Names of the owner-edited tabs and their columns, shared by the starter
tabs (``starter.py``) and the parsers (``parse.py``) so the two never drift."""

from __future__ import annotations

TEAM = "Team"
TOPICS = "Topics"
TRIGGERS = "Triggers"
PRIORITIES = "Priorities"
RESPONSE = "Response times"
ACCOUNTS = "Accounts"
COVERAGE = "Coverage"
REGIONS = "Regions"
ROUTING = "Routing"
SETTINGS = "Settings"

TEAM_COLUMNS = (
    "Name",
    "Email",
    "Roles",
    "Tier",
    "Time zone",
    "Working days",
    "Start",
    "End",
    "Max open cases",
    "Backup",
    "Languages",
    "Active",
)
TEAM_REQUIRED = ("Name", "Roles")
TOPICS_COLUMNS = ("Topic", "Role", "Keywords", "Expert", "Also when")
TOPICS_REQUIRED = ("Topic", "Role")
TRIGGERS_COLUMNS = ("Category", "Phrase", "Language", "Kind")
TRIGGERS_REQUIRED = ("Category", "Phrase")
PRIORITIES_COLUMNS = ("When found", "Priority at least", "Why")
PRIORITIES_REQUIRED = ("When found", "Priority at least")
RESPONSE_COLUMNS = ("Priority", "First response within", "Resolve within", "Clock", "Tell")
RESPONSE_REQUIRED = ("Priority", "First response within", "Resolve within")
ACCOUNTS_COLUMNS = ("Domain", "Company", "Plan", "Contract value per year", "Account manager")
ACCOUNTS_REQUIRED = ("Domain",)
COVERAGE_COLUMNS = ("Person", "From", "To", "Note")
COVERAGE_REQUIRED = ("Person", "From")
REGIONS_COLUMNS = (
    "Region",
    "Country codes",
    "UTC offset from",
    "UTC offset to",
    "Preference order",
)
REGIONS_REQUIRED = ("Region",)
ROUTING_COLUMNS = ("Step", "Use", "What it does")
ROUTING_REQUIRED = ("Step",)
SETTINGS_COLUMNS = ("Setting", "Value", "What it means")
SETTINGS_REQUIRED = ("Setting", "Value")

KIND_PHRASE = "phrase"
KIND_PATTERN = "pattern"
CLOCK_BUSINESS = "business hours"
CLOCK_ALWAYS = "around the clock"
EVERYONE = "Everyone"

# Settings tab: label -> Settings field.
SETTING_LABELS: dict[str, str] = {
    "Default role": "default_role",
    "Main language": "main_language",
    "Business time zone": "business_zone",
    "Business days": "business_days",
    "Business hours start": "business_start",
    "Business hours end": "business_end",
    "Default max open cases": "default_max_open",
    "Acronyms (not shouting)": "acronyms",
    "Shouting: capital words in a row": "shouting_words",
    "Repeated contact: earlier messages": "repeated_contact_after",
    "Backup takes off-shift cases from": "backup_when_off_shift",
    "After-hours emergency list": "emergency_list",
    "Default region": "default_region",
    "Key account: contract value from": "value_contract_from",
    "What our customers can't work without": "core_activities",
}
