"""Reads of case work through the access module's scope, one module per part."""
