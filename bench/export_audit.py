"""The list export's audit collection at a million rows, without a database: how long
noting each contact, its case and its participant takes, the memory it holds, and the
largest event's JSON (decision 0073).

    PYTHONPATH=. nice -n 19 .venv/bin/python bench/export_audit.py [rows]
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from types import SimpleNamespace


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bruecke.settings")
    import django

    django.setup()
    from bruecke.spreadsheets.exporting.audit import WrittenRecords
    from bruecke.spreadsheets.exporting.registry import get_list

    export = get_list("contacts")
    assert export is not None
    rows_wanted = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    # Ten contacts per case, one case per participant.
    rows = (
        SimpleNamespace(pk=i, case_id=i // 10, case=SimpleNamespace(participant_id=i // 10))
        for i in range(1, rows_wanted + 1)
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    written = WrittenRecords(export)
    for _row in written.counting(rows):
        pass
    sizes = [len(json.dumps(ids)) for ids in written.object_ids()]
    seconds = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(
        f"rows={rows_wanted} records={written.count} events={len(sizes)} seconds={seconds:.2f} "
        f"memory_grown_MB={grown:.0f} largest_event_json_bytes={max(sizes)}"
    )


if __name__ == "__main__":
    main()
