"""Explainable matching of participants and opportunities (docs/decisions/0038).

`scoring` holds the points of every part and computes them in Python for one pair (the
explanation, and the reference the tests compare the SQL with); `sql` builds the same
parts as database expressions so the database ranks all candidates in one query;
`permission` turns the work-permission engine's answers into points, exclusions and an
SQL CASE; `engine` puts them together for the two pages.
"""
