"""The funder file written as XML (own XSD, streamed with the stdlib) or as CSV (the same
fields, one row per participant, neutralised like every export)."""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

import xmlschema

from bruecke.reporting.exporting.csv_format import BOM, write_rows
from bruecke.reporting.funder.records import RESULT_CODES, FunderRecord

NAMESPACE = "urn:bruecke:esf:teilnehmende:1.0"
VERSION = "1.0"
NO_ATTRIBUTES: AttributesImpl[str] = AttributesImpl({})
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "teilnehmende-1.0.xsd"


@dataclass(frozen=True)
class FileHeader:
    project_id: int
    start: datetime.date
    end: datetime.date
    created: datetime.datetime


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


# (element, attribute of FunderRecord): the participant's fields before the exit, in the
# XSD's order; None values are left out (the element is optional).
ENTRY_ELEMENTS = (
    ("pseudonym", "pseudonym"),
    ("geschlecht", "gender"),
    ("geburtsjahr", "birth_year"),
    ("geburtsmonat", "birth_month"),
    ("eintrittsdatum", "entry_date"),
    ("vollstaendig", "complete"),
    ("erwerbsstatus", "lm_status"),
    ("isced", "isced"),
    ("langzeitarbeitslos", "long_term_unemployed"),
    ("staatsangehoerigkeiten", "citizenships"),
    ("drittstaatsangehoerig", "third_country_national"),
    ("auslaendischeHerkunft", "foreign_background"),
    ("behinderung", "disability"),
    ("minderheit", "minority"),
    ("obdachlos", "homeless"),
    ("laendlich", "rural"),
)
EXIT_COLUMNS = ("austrittsdatum", "austrittsgrund", "situationen", "qualifikation", "qualifikationAm")
CSV_COLUMNS = [name for name, _attr in ENTRY_ELEMENTS] + list(EXIT_COLUMNS) + list(RESULT_CODES)


class _Writer:
    def __init__(self, handle: IO[bytes]) -> None:
        self.xml = XMLGenerator(handle, encoding="utf-8", short_empty_elements=True)

    def element(self, name: str, value: object, attrs: dict[str, str] | None = None) -> None:
        self.xml.startElement(name, AttributesImpl(attrs or {}))
        if value is not None:
            self.xml.characters(_text(value))
        self.xml.endElement(name)

    def record(self, record: FunderRecord) -> None:
        self.xml.startElement("teilnehmer", NO_ATTRIBUTES)
        for name, attribute in ENTRY_ELEMENTS:
            value = getattr(record, attribute)
            if value is not None:
                self.element(name, value)
        if record.exit_date is not None:
            self._exit(record)
        self.xml.endElement("teilnehmer")
        self.xml.ignorableWhitespace("\n")

    def _exit(self, record: FunderRecord) -> None:
        self.xml.startElement("austritt", NO_ATTRIBUTES)
        self.element("austrittsdatum", record.exit_date)
        self.element("austrittsgrund", record.exit_reason)
        self.xml.startElement("situationen", NO_ATTRIBUTES)
        for day, kind in record.situations:
            self.element("situation", None, {"datum": day.isoformat(), "art": kind})
        self.xml.endElement("situationen")
        if record.qualification is not None:
            self.element("qualifikation", record.qualification)
        if record.qualification_on is not None:
            self.element("qualifikationAm", record.qualification_on)
        self.xml.startElement("ergebnisse", NO_ATTRIBUTES)
        for code in RESULT_CODES:
            if record.results.get(code) is not None:
                self.element(code, record.results[code])
        self.xml.endElement("ergebnisse")
        self.xml.endElement("austritt")


def write_xml(handle: IO[bytes], header: FileHeader, chunks: Iterable[list[FunderRecord]]) -> int:
    """Streams the file to `handle`; returns the number of participants written."""
    writer = _Writer(handle)
    writer.xml.startDocument()
    # The default namespace is declared on the root; children inherit it (qualified).
    writer.xml.startElement(
        "teilnehmende",
        AttributesImpl(
            {
                "xmlns": NAMESPACE,
                "version": VERSION,
                "projekt": str(header.project_id),
                "von": header.start.isoformat(),
                "bis": header.end.isoformat(),
                "erstellt": header.created.replace(microsecond=0).isoformat(),
            }
        ),
    )
    writer.xml.ignorableWhitespace("\n")
    count = 0
    for chunk in chunks:
        for record in chunk:
            writer.record(record)
            count += 1
    writer.xml.endElement("teilnehmende")
    writer.xml.endDocument()
    return count


def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA_PATH))


def validation_errors(path: Path, limit: int = 5) -> list[str]:
    """The first schema violations of the file at `path` (empty: valid). Parsed lazily, so
    a large file is not held in memory as a tree."""
    resource = xmlschema.XMLResource(str(path), lazy=True)
    errors = []
    for error in schema().iter_errors(resource):
        errors.append(str(error.reason))
        if len(errors) >= limit:
            break
    return errors


def csv_row(record: FunderRecord) -> list[object]:
    situations = " | ".join(f"{day.isoformat()} {kind}" for day, kind in record.situations)
    exit_values: list[object] = [
        record.exit_date,
        record.exit_reason,
        situations or None,
        record.qualification,
        record.qualification_on,
    ]
    return [
        *(getattr(record, attribute) for _name, attribute in ENTRY_ELEMENTS),
        *exit_values,
        *(record.results.get(code) for code in RESULT_CODES),
    ]


def write_csv(handle: IO[bytes], chunks: Iterable[list[FunderRecord]], delimiter: str = ";") -> int:
    text = io.TextIOWrapper(handle, encoding="utf-8", newline="", write_through=True)
    text.write(BOM)
    write_rows(text, [CSV_COLUMNS], delimiter)
    count = 0
    for chunk in chunks:
        write_rows(text, (csv_row(record) for record in chunk), delimiter)  # type: ignore[misc]
        count += len(chunk)
    text.flush()
    text.detach()  # the caller owns the binary handle
    return count
