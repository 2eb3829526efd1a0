"""The time the learning pages work with. Tests may fix it (only when TESTING) to see
tomorrow's reviews and streaks without waiting for tomorrow."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app

from app.models._columns import utcnow


def now() -> datetime:
    fixed = current_app.config.get("NOW_OVERRIDE") if current_app.testing else None
    return fixed or utcnow()


# Trainees study in Pakistan: a day ends at midnight there, not in UTC.
LOCAL_TIME = ZoneInfo("Asia/Karachi")


def local_day(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TIME).date()
