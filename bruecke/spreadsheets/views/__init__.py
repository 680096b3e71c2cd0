"""Pages of the import flow: upload, map columns, map values, the run (dry run, import,
results) and the user's list of imports."""
