"""Where the customer is: country-code TLD first, else the Date header's offset."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from automation.tables.owner_tables import Tables


@dataclass(frozen=True)
class RegionGuess:
    name: str | None
    why: str


def detect_region(domain: str, sent: datetime | None, tables: Tables) -> RegionGuess:
    """Region by the sender domain's last label (``co.uk`` -> ``uk``), else by the
    UTC offset the sender's mail program wrote, else the default region."""
    tld = domain.rpartition(".")[2].casefold() if domain else ""
    for region in tables.regions:
        if tld and tld in region.country_codes:
            return RegionGuess(region.name, f"region {region.name} (address ends in .{tld})")
    offset = sent.utcoffset() if sent is not None else None
    if offset is not None:
        for region in tables.regions:
            if region.offset_min is None and region.offset_max is None:
                continue
            low_ok = region.offset_min is None or offset >= region.offset_min
            high_ok = region.offset_max is None or offset <= region.offset_max
            if low_ok and high_ok:
                hours = offset.total_seconds() / 3600
                return RegionGuess(region.name, f"region {region.name} (sent at UTC{hours:+g})")
    default = tables.settings.default_region or None
    if default:
        return RegionGuess(default, f"region {default} (default; no country code or offset)")
    return RegionGuess(None, "region unknown")
