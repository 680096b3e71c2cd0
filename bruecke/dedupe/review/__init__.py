"""Duplicate review: probable duplicates of an organisation, merge and mark distinct."""
