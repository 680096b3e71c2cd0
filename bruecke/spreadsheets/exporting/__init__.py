"""Exports of the list pages (participants, cases, contacts, tasks, employers,
opportunities, referrals, placements) as CSV and XLSX, made in a background job.

`registry` describes each list (its page's filter, its columns, who sees which column),
`writing` streams the rows into the file, `job` is the job kind, `start` the service that
starts it. The cell rules (formula neutralisation, CSV values) are those of the report
exports (`bruecke.reporting.exporting`)."""
