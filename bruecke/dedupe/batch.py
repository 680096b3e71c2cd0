"""Batch search: every pair of registrations above the threshold, scored by Splink.

Candidates are exactly the pairs sharing a blocking key of `blocking.blocking_keys`
(the same keys as the intake looks up), joined in DuckDB; Splink scores them with the
given parameters and term frequencies, so a pair's weight here equals `scoring.score`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from bruecke.dedupe.blocking import blocking_keys
from bruecke.dedupe.records import Record
from bruecke.dedupe.scoring import Parameters, TermFrequencies, vetoed_pair


def _keys_table(records: Sequence[Record]) -> Any:
    import pyarrow as pa  # type: ignore[import-untyped]

    ids: list[int | None] = []
    keys: list[str] = []
    for record in records:
        for key in blocking_keys(record):
            ids.append(record.pk)
            keys.append(key)
    return pa.Table.from_pydict(
        {"unique_id": ids, "key": keys},
        schema=pa.schema([pa.field("unique_id", pa.int64()), pa.field("key", pa.string())]),
    )


# A key shared by more registrations than this is skipped: its pairs grow with the square
# of its size (a common name with a common birth year), and true duplicates in it nearly
# always share a smaller key as well (the full date, all name parts). The intake likewise
# scores a bounded number of candidates (`intake.MAX_SCORED`).
MAX_BLOCK = 200


def candidate_pairs(connection: Any, records: Sequence[Record], max_block: int = MAX_BLOCK) -> str:
    """Creates the table of blocked pairs (Splink's shape) and returns its name."""
    connection.register("dedupe_keys_arrow", _keys_table(records))
    connection.execute(
        """
        CREATE OR REPLACE TABLE dedupe_keys AS
        SELECT k.unique_id, k.key FROM dedupe_keys_arrow AS k
        JOIN (SELECT key FROM dedupe_keys_arrow GROUP BY key HAVING count(*) <= $max_block) AS s
        ON s.key = k.key
        """,
        {"max_block": max_block},
    )
    connection.execute(
        """
        CREATE OR REPLACE TABLE dedupe_blocked_pairs AS
        SELECT DISTINCT '0' AS match_key, l.unique_id AS join_key_l, r.unique_id AS join_key_r
        FROM dedupe_keys AS l
        JOIN dedupe_keys AS r ON l.key = r.key AND l.unique_id < r.unique_id
        """
    )
    connection.execute("DROP TABLE dedupe_keys")
    connection.unregister("dedupe_keys_arrow")
    return "dedupe_blocked_pairs"


def find_pairs(
    records: Sequence[Record], params: Parameters, tf: TermFrequencies, threshold_weight: float
) -> list[tuple[int, int, float]]:
    """(pk_a, pk_b, weight) with pk_a < pk_b of every blocked pair at or above the
    threshold and not vetoed (`scoring.vetoed_pair`), strongest first."""
    by_pk = {record.pk: record for record in records}
    return [
        (a, b, weight)
        for a, b, weight in scored_pairs(records, params, tf, threshold_weight)
        if not vetoed_pair(by_pk[a], by_pk[b])
    ]


def scored_pairs(
    records: Sequence[Record],
    params: Parameters,
    tf: TermFrequencies,
    threshold_weight: float,
    max_block: int = MAX_BLOCK,
) -> list[tuple[int, int, float]]:
    """Every blocked pair at or above the threshold with Splink's weight, strongest first."""
    import duckdb
    from splink import DuckDBAPI

    from bruecke.dedupe.training import linker_for

    if len(records) < 2:
        return []
    logging.getLogger("splink").setLevel(logging.WARNING)
    connection = duckdb.connect(":memory:")
    try:
        db_api = DuckDBAPI(connection=connection)
        pairs = db_api.register(
            candidate_pairs(connection, records, max_block), dataset_display_name="blocked_pairs"
        )
        linker = linker_for(records, params, tf, db_api=db_api)
        linker.table_management.register_blocked_pairs_for_predict(pairs)
        predictions = linker.inference.predict(threshold_match_weight=threshold_weight, warning_mode="never")
        rows = connection.execute(  # the table name is Splink's own, no input reaches it
            f"SELECT unique_id_l, unique_id_r, match_weight FROM {predictions.physical_name}"  # noqa: S608
            " ORDER BY match_weight DESC, unique_id_l, unique_id_r"
        ).fetchall()
    finally:
        connection.close()
    return [(min(a, b), max(a, b), float(w)) for a, b, w in rows]
