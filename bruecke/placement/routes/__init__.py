"""The placement app's URLs, one module per area (joined in bruecke/placement/urls.py)."""
