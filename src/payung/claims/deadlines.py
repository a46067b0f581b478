"""Deadlines of a claim, shown as warnings before they pass. Pure: no Django.

- Work accident report stage I: 2 x 24 hours after the accident; stage II: 2 x 24 hours after the doctor's
  statement of recovery, disability or death (Permenaker 5/2021 pasal 19; ``claims.jkk.report_hours``).
  An accident recorded without its hour is taken to have happened at the start of its day: the deadline
  shown is never later than the real one.
- The right to claim JKK lapses years after the accident (``claims.jkk.expiry_years``: 2 under PP 44/2015,
  5 under PP 82/2019 pasal 26). JKM has no time limit (BPJS Ketenagakerjaan to Kompas, 26 Oct 2024).
- BPJS pays within working days of a complete file (``claims.jkk.payment_days``, ``claims.jkm.payment_days``);
  working days here are Monday to Friday, public holidays not counted out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

SOON = {
    "report_1": dt.timedelta(hours=24),
    "report_2": dt.timedelta(hours=24),
    "expiry": dt.timedelta(days=90),
    "payment": dt.timedelta(days=0),
}
SHARP = dt.timedelta(days=30)  # an expiry within 30 days is the sharper warning


@dataclass(frozen=True)
class Deadline:
    code: str  # report_1, report_2, expiry, payment
    due: dt.datetime
    done: bool = False

    def state(self, now: dt.datetime) -> str:
        """'done', 'late' (passed and not done), 'soon' (within its warning window) or 'open'."""
        if self.done:
            return "done"
        if now > self.due:
            return "late"
        return "soon" if self.due - now <= SOON[self.code] else "open"

    def sharp(self, now: dt.datetime) -> bool:
        return self.state(now) == "late" or (self.state(now) == "soon" and self.due - now <= SHARP)


def start_of(day: dt.date, tz: dt.tzinfo | None = None) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


def reports(
    occurred_at: dt.datetime, doctor_at: dt.datetime | None, hours: int, first_done: bool, second_done: bool
) -> list[Deadline]:
    """Stage I from the accident; stage II from the doctor's statement, once there is one."""
    window = dt.timedelta(hours=hours)
    found = [Deadline("report_1", occurred_at + window, first_done)]
    if doctor_at is not None:
        found.append(Deadline("report_2", doctor_at + window, second_done))
    return found


def expiry(occurred_at: dt.datetime, years: int, done: bool) -> Deadline:
    """The last moment to claim: the same day ``years`` later (28 Feb for a 29 Feb accident)."""
    day = occurred_at.date()
    try:
        last = day.replace(year=day.year + years)
    except ValueError:
        last = day.replace(year=day.year + years, day=28)
    return Deadline("expiry", start_of(last, occurred_at.tzinfo), done)


def add_working_days(day: dt.date, days: int) -> dt.date:
    """``days`` working days (Monday to Friday) after ``day``."""
    while days > 0:
        day += dt.timedelta(days=1)
        days -= day.weekday() < 5
    return day


def payment(submitted_on: dt.date, working_days: int, done: bool, tz: dt.tzinfo | None = None) -> Deadline:
    """BPJS's last day to pay (its end: the deadline passes the next morning)."""
    last = add_working_days(submitted_on, working_days) + dt.timedelta(days=1)
    return Deadline("payment", start_of(last, tz), done)
