"""The exported lists, one module per list page; importing them registers them."""

from bruecke.spreadsheets.exporting.lists import cases, participants, placement, referrals, tasks

__all__ = ["cases", "participants", "placement", "referrals", "tasks"]
