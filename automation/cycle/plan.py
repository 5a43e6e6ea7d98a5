"""The values one poll cycle works with: its plan, and the work intake planned.

``CyclePlan`` is fixed before anything is read: the instant, the business
time zone, the settings intake needs, the lifecycle policy and the limits.
``Work`` is what intake, the queue and the lifecycle planned for the sheet,
the outbox and the inbox; the later steps only read it.  Both are frozen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from automation.config import Config
from automation.lifecycle.transitions import Policy
from automation.ports import NewCase
from automation.sheet.case_ids import CaseTagger


@dataclass(frozen=True)
class IntakeSettings:
    tagger: CaseTagger
    own_addresses: frozenset[str]
    own_domains: frozenset[str]
    message_id_domain: str
    max_message_bytes: int
    ack_limit_per_sender: int
    ack_window: timedelta
    fmt_time: Callable[[datetime], str]
    authserv_ids: tuple[str, ...] = ()  # whose Authentication-Results to trust
    thread_same_domain: bool = False  # a colleague at the customer's domain may join


@dataclass(frozen=True)
class CyclePlan:
    """What one cycle is set to do, derived from the configuration and ``now``."""

    config: Config
    now: datetime
    tz: ZoneInfo
    intake: IntakeSettings
    policy: Policy

    @classmethod
    def build(cls, cfg: Config, now: datetime) -> CyclePlan:
        tz = ZoneInfo(cfg.business.time_zone)

        def fmt(dt: datetime) -> str:
            return dt.astimezone(tz).isoformat(sep=" ", timespec="minutes")

        b, poll, life = cfg.business, cfg.poll, cfg.lifecycle
        settings = IntakeSettings(
            tagger=CaseTagger(b.case_tag, b.case_id_prefix, b.first_case_number),
            own_addresses=cfg.own_addresses,
            own_domains=frozenset(d.lower() for d in b.own_domains),
            message_id_domain=cfg.message_id_domain,
            max_message_bytes=poll.max_message_bytes,
            ack_limit_per_sender=poll.ack_limit_per_sender,
            ack_window=timedelta(minutes=poll.ack_window_minutes),
            authserv_ids=poll.authserv_ids,
            thread_same_domain=poll.thread_same_domain,
            fmt_time=fmt,
        )
        policy = Policy(
            close_after=timedelta(days=life.close_after_days),
            warn_share=life.warn_at_share,
            still_on_it=life.still_on_it_updates,
        )
        return cls(cfg, now, tz, settings, policy)

    def fmt(self, dt: datetime) -> str:
        """A time as the sheet shows it: business time zone, to the minute."""
        return self.intake.fmt_time(dt)

    @property
    def fetch_limit(self) -> int:
        return self.config.poll.max_messages_per_cycle


@dataclass(frozen=True)
class Work:
    """What intake and the follow-ups planned; read by the writes, send and inbox steps.

    ``cases`` is the cycle's working copy of every case (new ones included);
    ``created`` the rows write 1 inserts; ``updates`` the poller cells write 2
    sends for existing cases.  ``done_on_create`` inbox keys are settled once
    write 1 lands; ``update_keys`` (per case) once that case's update lands.
    """

    cases: Mapping[str, Mapping[str, str]]
    created: tuple[NewCase, ...]
    updates: Mapping[str, Mapping[str, str]]
    noncase_rows: tuple[tuple[str, ...], ...]
    quarantine_rows: tuple[tuple[str, ...], ...]
    done_on_create: tuple[str, ...]
    update_keys: Mapping[str, tuple[str, ...]]
    quarantined: tuple[str, ...]
    fetched: int
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def created_ids(self) -> frozenset[str]:
        return frozenset(c.case_id for c in self.created)
