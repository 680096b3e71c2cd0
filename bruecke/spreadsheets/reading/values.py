"""Cell values as German spreadsheets write them. Each function takes a cell (text, number
or date) and returns the value, or raises ValueError with a message for the user.

Dates: DD.MM.YYYY and D.M.YYYY, D.M.YY (the most recent such day that is not in the
future, so birth dates never are), ISO YYYY-MM-DD (with or without a time), date cells,
and Excel day numbers (1900 date system, including its non-existent 29.02.1900)."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from bruecke.participants.forms import PartialDate
from bruecke.participants.forms import parse_partial_date as parse_form_partial_date
from bruecke.spreadsheets.reading.shape import Cell

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_GERMAN = re.compile(rf"^(?P<day>\d{{1,2}})\.(?P<month>\d{{1,2}})\.(?P<year>\d{{4}}|\d{{2}}){_TIME}$")
_ISO = re.compile(rf"^(?P<year>\d{{4}})-(?P<month>\d{{1,2}})-(?P<day>\d{{1,2}}){_TIME}$")
# Day numbers written as text (a CSV saved from a column without date format): 1927–2173.
_SERIAL_TEXT = re.compile(r"^\d{5}$")
_EXCEL_EPOCH = datetime.date(1899, 12, 31)
_LAST_SERIAL = 2_958_465  # 31.12.9999
# Grouped thousands with dots and no decimals: 1.234 or 12.345.678 (German).
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+$")
_NUMBER_NOISE = re.compile(r"[\s\u00a0\u202f€]")
# A formula that a spreadsheet program would run when the cell is opened: `=…`, or
# `+`, `-`, `@` followed by a function call or a reference to another program (|, !).
_FORMULA = re.compile(r"^(?:=|[+\-@].*(?:[A-Za-z_][A-Za-z0-9_.]*\(|[|!=]))", re.S)


def cell_text(cell: Cell) -> str:
    """The cell as stripped text ('' for empty cells)."""
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() if cell.time() == datetime.time() else cell.isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def looks_like_formula(text: str) -> bool:
    """Whether a text would run as a formula when the file is opened again in a spreadsheet
    program. Phone numbers (+49 381 …) and negative numbers do not."""
    return bool(_FORMULA.match(text.strip()))


def _not_exist(text: str) -> ValueError:
    return ValueError(_("This date does not exist: %(value)s.") % {"value": text[:40]})


def from_serial(serial: float) -> datetime.date:
    """The day of an Excel day number (1900 system). Excel counts a 29.02.1900 that never
    was: numbers from 61 on are one day later than the count from 31.12.1899."""
    day = int(serial)
    if day == 60:
        raise _not_exist("29.02.1900")
    if not 1 <= day <= _LAST_SERIAL:
        raise ValueError(_("Not a date. Please write dates as DD.MM.YYYY."))
    return _EXCEL_EPOCH + datetime.timedelta(days=day - 1 if day > 60 else day)


def _two_digit_year(day: int, month: int, short: int, text: str) -> datetime.date:
    """The most recent day with these two year digits that is not after today."""
    today = timezone.localdate()
    year = today.year - (today.year - short) % 100
    for candidate in (year, year - 100):
        try:
            value = datetime.date(candidate, month, day)
        except ValueError:
            continue
        if value <= today:
            return value
    raise _not_exist(text)


def _from_text(text: str) -> datetime.date:
    german, iso = _GERMAN.match(text), _ISO.match(text)
    match = german or iso
    if match is None:
        if _SERIAL_TEXT.match(text):
            return from_serial(int(text))
        raise ValueError(_("Not a date. Please write dates as DD.MM.YYYY."))
    day, month, year = int(match["day"]), int(match["month"]), match["year"]
    if len(year) == 2:
        return _two_digit_year(day, month, int(year), text)
    try:
        return datetime.date(int(year), month, day)
    except ValueError:
        raise _not_exist(text) from None


def parse_date(cell: Cell) -> datetime.date:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    if isinstance(cell, int | float | Decimal) and not isinstance(cell, bool):
        return from_serial(float(cell))
    return _from_text(cell_text(cell))


def parse_partial_date(cell: Cell) -> PartialDate:
    """A date of which the day, or day and month, may be unknown: 1994, 03.1994,
    00.00.1994, XX.XX.1994; full dates in every form parse_date reads."""
    if (
        isinstance(cell, int | float)
        and not isinstance(cell, bool)
        and 0 < cell < 10_000
        and cell == int(cell)
    ):
        cell = str(int(cell))  # a year; larger numbers are Excel day numbers
    if not isinstance(cell, str):
        day = parse_date(cell)
        return PartialDate(day.year, day.month, day.day)
    text = cell.strip()
    try:
        return parse_form_partial_date(text)
    except ValidationError as error:
        if not (_GERMAN.match(text) or _ISO.match(text)):
            raise ValueError(" ".join(error.messages)) from None
    day = _from_text(text)  # D.M.YY, ISO, or with a time
    return PartialDate(day.year, day.month, day.day)


def _number_text(text: str) -> str:
    """German (1.234,56) or English (1,234.56) notation as Python reads it: the last of
    comma and point is the decimal mark; dots alone in groups of three are thousands."""
    text = _NUMBER_NOISE.sub("", text)
    comma, point = text.rfind(","), text.rfind(".")
    if comma > point:
        return text.replace(".", "").replace(",", ".")
    if point > comma >= 0:
        return text.replace(",", "")
    return text.replace(".", "") if _THOUSANDS.match(text) else text


def parse_decimal(cell: Cell) -> Decimal:
    if isinstance(cell, int | float | Decimal) and not isinstance(cell, bool):
        number = Decimal(str(cell))
    else:
        try:
            number = Decimal(_number_text(cell_text(cell)))
        except InvalidOperation:
            raise ValueError(_("Not a number.")) from None
    if not number.is_finite():
        raise ValueError(_("Not a number."))
    return number


def parse_integer(cell: Cell) -> int:
    number = parse_decimal(cell)
    if number != number.to_integral_value():
        raise ValueError(_("Please enter a whole number."))
    return int(number)


_TRUE = {"ja", "j", "yes", "y", "x", "1", "wahr", "true"}
_FALSE = {"nein", "n", "no", "0", "falsch", "false", "-"}


def parse_boolean(cell: Cell) -> bool:
    if isinstance(cell, bool):
        return cell
    text = cell_text(cell).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(_("Please write yes or no (ja/nein)."))
