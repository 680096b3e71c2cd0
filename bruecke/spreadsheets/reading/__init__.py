"""Reading spreadsheets as they really are (XLSX and CSV from German Excel): one table of
header names and rows of cells, streamed, with every unsafe or broken file refused with a
clear message."""

from bruecke.spreadsheets.reading.table import Cell, SourceTable, UnreadableFile, read_table

__all__ = ["Cell", "SourceTable", "UnreadableFile", "read_table"]
