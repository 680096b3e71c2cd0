"""Spreadsheets: importing participant, case and placement data from XLSX and CSV files
(column and value mapping, dry run, all or nothing) and exporting every list page."""
