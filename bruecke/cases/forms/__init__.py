"""Forms of case work, one module per part."""
