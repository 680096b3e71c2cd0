"""Per-record failures inside a step: one record that fails (a mail the server refuses, a
record that no longer validates) must not keep the step from the other records. The step
goes on, counts `failed`, and raises `ItemsFailed` at the end, so the run records the
step as failed with its counts."""

from __future__ import annotations

import logging
import traceback
from collections import Counter
from collections.abc import Callable

logger = logging.getLogger("bruecke.reminders.schedule")


def describe(error: BaseException) -> str:
    """The exception type and the code lines of its traceback, without its message:
    messages of database errors can quote the values of a row."""
    return f"{type(error).__name__}\n{''.join(traceback.format_tb(error.__traceback__))}"


class ItemsFailed(Exception):
    def __init__(self, counts: dict[str, int], error: str) -> None:
        super().__init__(f"{counts.get('failed', 0)} records failed ({error})")
        self.counts = counts
        self.error = error


class Items:
    """Runs one action per record, counting what each returns."""

    def __init__(self, step: str) -> None:
        self.step = step
        self.counts: Counter[str] = Counter()
        self.errors: list[str] = []

    def run(self, action: Callable[[], str]) -> None:
        try:
            self.counts[action()] += 1
        except Exception as error:  # counted and logged; the step goes on with the next record
            self.counts["failed"] += 1
            self.errors.append(type(error).__name__)
            logger.error("schedule step %s: a record failed: %s", self.step, describe(error))

    def result(self, *, drop: tuple[str, ...] = ()) -> dict[str, int]:
        counts = {key: value for key, value in self.counts.items() if key not in drop}
        if self.errors:
            raise ItemsFailed(counts, self.errors[0])
        return counts
