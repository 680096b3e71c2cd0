"""Reading spreadsheets as they really are (XLSX and CSV from German Excel): one table of
header names and rows of cells, streamed, with every unsafe or broken file refused with a
clear message. Decision record: docs/decisions/0057-reading-spreadsheets.md."""

from bruecke.spreadsheets.reading.table import Cell, SourceTable, UnreadableFile, read_table, sheet_names

__all__ = ["Cell", "SourceTable", "UnreadableFile", "read_table", "sheet_names"]
