"""Every write of the daily run (decision 0031). The steps are in their own modules; each
is idempotent: it reads what exists and creates only what is missing."""
