"""Periods in months as the law counts them (shared by the engine and its helpers)."""

from __future__ import annotations

import calendar
import datetime


def period_end(start: datetime.date, months: int) -> datetime.date:
    """Last day of a period of `months` beginning on `start` (§§ 187(2), 188(2),(3) BGB)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    last = calendar.monthrange(year, month)[1]
    if start.day > last:
        return datetime.date(year, month, last)
    return datetime.date(year, month, start.day) - datetime.timedelta(days=1)
