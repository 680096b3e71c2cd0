"""Writing a report's tables (`bruecke.reporting.tables.Table`) as CSV, XLSX or PDF.

Every text cell goes through `neutralise` first: a spreadsheet must never read a value
from our data as a formula (CSV/formula injection)."""
