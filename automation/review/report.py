"""The review: the Metrics tab, the weekly email with its chart, ``sheetdesk report``.

The Metrics tab is rewritten in the cycle's first write (``replace_tabs``)
every ``lifecycle.metrics_every_minutes``; its own "Refreshed" and "Weekly
review" rows are the schedule's memory, so nothing about it lives locally.

The weekly review goes to the owners once per ISO week.  Its Message-ID is
deterministic (the week), it is recorded as ``pending`` in the Metrics tab in
write 1 before it is sent, and a later cycle marks it ``sent``.  It is one
more ``Outgoing`` (``review_outgoing``: the ``weekly_review`` template, then
``compose``), sent by the cycle through the same ``deliver`` and ledger as
every other email, so the same already-sent checks guard it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from automation.config import Config
from automation.lifecycle import people
from automation.model import Address
from automation.outgoing import compose
from automation.outgoing.compose import Attachment, Outgoing
from automation.outgoing.contexts import review_context
from automation.outgoing.templates import TemplateSet
from automation.ports import Grid, Snapshot
from automation.review.metrics import Figures, figures
from automation.sheet import layout as columns
from automation.sheet import sent_log as sentlog
from automation.sheet.cells import cell_time
from automation.tables.owner_tables import Tables

TAB = columns.METRICS_TAB
REFRESHED = "Refreshed"
REVIEW = "Weekly review"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _h(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f} h"


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def lines(f: Figures) -> list[tuple[str, str]]:
    """The figures as (what, value) rows: the Metrics tab and the terminal."""
    rows: list[tuple[str, str]] = [("Cases", str(f.total))]
    rows += [(f"Volume: priority {k}", str(v)) for k, v in sorted(f.by_priority.items())]
    rows += [(f"Volume: trigger {k}", str(v)) for k, v in sorted(f.by_trigger.items())]
    rows += [(f"Volume: role {k}", str(v)) for k, v in sorted(f.by_role.items())]
    rows += [
        ("First response: median", _h(f.first_median)),
        ("First response: p90", _h(f.first_p90)),
        ("Resolution: median", _h(f.resolution_median)),
        ("Resolution: p90", _h(f.resolution_p90)),
        ("Commitments met", f"{_pct(f.share_met)} ({f.met} met, {f.missed} missed)"),
        ("Escalations", str(f.escalations)),
        ("Reopen rate", f"{_pct(f.reopen_rate)} ({f.reopened} of {f.ever_resolved} resolved)"),
    ]
    rows += [(f"Open load: {k}", str(v)) for k, v in sorted(f.open_load.items())]
    rows += [
        (f"Oldest open: {cid}", f"{age:.0f} h, {who}, {prio}")
        for cid, age, who, prio in f.oldest_open
    ]
    rows += [(f"Week of {w.start}", f"{w.volume} cases, {_pct(w.share)} met") for w in f.weeks]
    return rows


def _tab_value(snapshot: Snapshot, label: str) -> str:
    for row in snapshot.tabs.get(TAB, ())[1:]:
        if row and row[0] == label and len(row) > 1:
            return row[1]
    return ""


@dataclass(frozen=True)
class Review:
    """The weekly review owed now: its week, id, figures and recipients."""

    week: str
    message_id: str
    figures: Figures
    recipients: tuple[str, ...]
    already_pending: bool


def _week(now: datetime, tz: ZoneInfo) -> str:
    year, week, _ = now.astimezone(tz).isocalendar()
    return f"{year}-W{week:02d}"


def review_recipients(cfg: Config, tables: Tables) -> list[str]:
    if cfg.lifecycle.review_to:
        return list(cfg.lifecycle.review_to)
    return [m.email for m in people.tier_three(tables) if m.email]


def due_review(snapshot: Snapshot, now: datetime, cfg: Config, tables: Tables) -> Review | None:
    """The weekly review owed now, or None (already sent this week, too early, nobody)."""
    tz = ZoneInfo(cfg.business.time_zone)
    local = now.astimezone(tz)
    day = WEEKDAYS.index(cfg.lifecycle.review_weekday[:3].casefold())
    if (local.weekday(), local.hour) < (day, cfg.lifecycle.review_hour):
        return None
    week = _week(now, tz)
    recorded = _tab_value(snapshot, REVIEW).split()
    if recorded[:2] == [week, "sent"]:
        return None
    to = review_recipients(cfg, tables)
    if not to:
        return None
    mid = sentlog.outgoing_id("review", "weekly", week, cfg.message_id_domain)
    rows = [dict(c.values) for c in snapshot.cases]
    return Review(week, mid, figures(rows, now), tuple(to), recorded[:2] == [week, "pending"])


def metrics_grid_if_due(
    snapshot: Snapshot,
    now: datetime,
    cfg: Config,
    tables: Tables,
    fmt: Callable[[datetime], str],
    review: Review | None,
) -> Grid | None:
    last = cell_time(_tab_value(snapshot, REFRESHED))
    every = cfg.lifecycle.metrics_every_minutes * 60
    fresh = last is not None and 0 <= (now - last).total_seconds() < every
    if fresh and review is None:
        return None
    record = _tab_value(snapshot, REVIEW)
    if review is not None:
        record = (
            f"{review.week} {'sent' if review.already_pending else 'pending'} <{review.message_id}>"
        )
    f = figures([dict(c.values) for c in snapshot.cases], now)
    return (
        ("What", "Value"),
        (REFRESHED, fmt(now)),
        (REVIEW, record),
        *lines(f),
        ("How these are counted", "see docs/architecture.md, 'Review'"),
    )


def chart_png(f: Figures) -> bytes:
    """Volume (bars) and commitments met (line), week by week, as a PNG."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    labels = [w.start.strftime("%d %b") for w in f.weeks]
    fig, ax = plt.subplots(figsize=(8, 3.6), dpi=100)
    ax.bar(labels, [w.volume for w in f.weeks], color="#8fb3d9", label="cases opened")
    ax.set_ylabel("cases opened")
    ax.tick_params(axis="x", labelrotation=30)
    share = ax.twinx()
    points = [(i, w.share * 100) for i, w in enumerate(f.weeks) if w.share is not None]
    if points:
        share.plot(
            [p[0] for p in points],
            [p[1] for p in points],
            color="#c0392b",
            marker="o",
            label="commitments met (%)",
        )
    share.set_ylim(0, 105)
    share.set_ylabel("commitments met (%)")
    ax.set_title("Cases per week and commitments met")
    fig.tight_layout()
    out = io.BytesIO()
    fig.savefig(out, format="png")
    plt.close(fig)
    return out.getvalue()


def review_outgoing(review: Review, cfg: Config, templates: TemplateSet, now: datetime) -> Outgoing:
    """The review as one more email: ``weekly_review.j2`` rendered, built by
    ``compose`` with the chart attached.  Raises ``ComposeError`` (an unusable
    recipient) or ``TemplateError``."""
    f = review.figures
    context = review_context(cfg, review.week, lines(f), f.breached)
    chart = Attachment(f"review-{review.week}.png", chart_png(f), "image", "png")
    email = compose.build(
        templates.render("weekly_review", context),
        sender=Address(cfg.business.display_name, cfg.business.support_address),
        to=[Address("", a) for a in review.recipients],
        message_id=review.message_id,
        in_reply_to=None,
        references=(),
        loop_token=cfg.message_id_domain,
        date=now,
        auto_submitted="auto-generated",
        attachments=[chart],
    )
    entry = sentlog.Entry("review", review.message_id, sentlog.PENDING, now)
    return Outgoing("review", entry, email, label="review")
