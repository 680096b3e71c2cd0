"""Backup and restore of a whole installation: database, uploaded files, job results.

`manage.py backup` and `manage.py restore` are thin wrappers over `service`
(decision 0033). A backup is one directory with a manifest that describes and checksums
everything in it; the encryption keys are deliberately not part of it.
"""
