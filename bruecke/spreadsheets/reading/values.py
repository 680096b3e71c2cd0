"""Cell values as German spreadsheets write them. Each function takes a cell (text, number
or date) and returns the value, or raises ValueError with a message for the user."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from bruecke.participants.forms import PartialDate
from bruecke.spreadsheets.reading.table import Cell


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


def parse_date(cell: Cell) -> datetime.date:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    text = cell_text(cell)
    for pattern in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("Not a date. Please write dates as DD.MM.YYYY."))


def parse_partial_date(cell: Cell) -> PartialDate:
    if isinstance(cell, (datetime.date, datetime.datetime)):
        day = parse_date(cell)
        return PartialDate(day.year, day.month, day.day)
    from django.core.exceptions import ValidationError

    from bruecke.participants.forms import parse_partial_date as parse_form_partial_date

    try:
        return parse_form_partial_date(cell_text(cell))
    except ValidationError as error:
        raise ValueError(" ".join(error.messages)) from None


def parse_decimal(cell: Cell) -> Decimal:
    if isinstance(cell, (int, float, Decimal)) and not isinstance(cell, bool):
        return Decimal(str(cell))
    text = cell_text(cell).replace(".", "").replace(",", ".") if "," in cell_text(cell) else cell_text(cell)
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(_("Not a number.")) from None


def parse_integer(cell: Cell) -> int:
    number = parse_decimal(cell)
    if number != number.to_integral_value():
        raise ValueError(_("Please enter a whole number."))
    return int(number)


_TRUE = {"ja", "j", "yes", "y", "x", "1", "wahr", "true"}
_FALSE = {"nein", "n", "no", "0", "falsch", "false", "-"}


def parse_boolean(cell: Cell) -> bool:
    text = cell_text(cell).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(_("Please write yes or no (ja/nein)."))
