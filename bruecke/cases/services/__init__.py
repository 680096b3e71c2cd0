"""Every write of case work, one module per part: validated, audited, in one transaction."""
