"""The funder's participant file (DATES-style, one record per participant, pseudonymised)."""
