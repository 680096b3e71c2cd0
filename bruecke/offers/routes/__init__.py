"""The offers app's URLs, one module per area (joined in bruecke/offers/urls.py)."""
