"""A streaming read replica of the local PostgreSQL 15 on a second port (decision 0069).

Usage (as root, on the machine that runs PostgreSQL):

    .venv/bin/python bench/replica.py --port 5433 [--keep]

Copies the running cluster with `pg_basebackup -R` (as the `postgres` OS user) into a
temporary directory, starts it with `pg_ctl` on `--port` as a hot standby, waits until its
WAL receiver streams, prints the lag and the DATABASE_REPLICA_URL to use, and stops and
removes it again unless `--keep` (then `pg_ctl -D <dir> stop` and removing the directory
are yours). The primary's pg_hba.conf needs `host replication all 127.0.0.1/32 trust`: the
script adds it and reloads when run as root, otherwise it says what to add.
`bench/load.py --replica` uses the same functions to measure the lag under load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

BIN = Path("/usr/lib/postgresql/15/bin")
PRIMARY = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
HBA_LINE = "host replication all 127.0.0.1/32 trust"
# On the standby: the same query as bruecke/core/routers.py (LAG_SQL), with its parts.
STATUS_SQL = """
SELECT pg_is_in_recovery(),
       (SELECT status FROM pg_stat_wal_receiver),
       pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn(),
       EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())
"""
# On the primary: how far the standby's replay is behind, in bytes and as PostgreSQL measures it.
PRIMARY_LAG_SQL = """
SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn), EXTRACT(EPOCH FROM replay_lag)
FROM pg_stat_replication WHERE application_name = %s
"""


@dataclass
class Replica:
    directory: Path
    port: int
    name: str

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"


def _as_postgres(*command: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


def _primary(sql: str, *params: object) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(PRIMARY, autocommit=True) as connection:
        return connection.execute(sql, params).fetchall() if params else connection.execute(sql).fetchall()


def ensure_replication_allowed() -> None:
    """The primary lets 127.0.0.1 stream (pg_hba.conf); added and reloaded when root."""
    hba = Path(str(_primary("SHOW hba_file")[0][0]))
    lines = [line.split() for line in hba.read_text().splitlines() if not line.lstrip().startswith("#")]
    if HBA_LINE.split() in lines:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"Add '{HBA_LINE}' to {hba} and reload PostgreSQL, then run again.")
    with hba.open("a") as handle:
        handle.write(f"\n# Streaming replica for bench/replica.py (loopback only)\n{HBA_LINE}\n")
    _primary("SELECT pg_reload_conf()")
    time.sleep(1)


def _write_config(directory: Path, port: int, name: str) -> None:
    """pg_basebackup copies the data directory only; Debian keeps the configuration in /etc."""
    (directory / "postgresql.conf").write_text(
        f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{directory}'\n"
        "hot_standby = on\nshared_buffers = 256MB\nmax_connections = 100\n"
        f"hba_file = '{directory}/pg_hba.conf'\nident_file = '{directory}/pg_ident.conf'\n"
        "hot_standby_feedback = on\nmax_standby_streaming_delay = 30s\n"
    )
    (directory / "pg_hba.conf").write_text("local all all trust\nhost all all 127.0.0.1/32 trust\n")
    (directory / "pg_ident.conf").write_text("")
    # pg_basebackup -R wrote primary_conninfo; the name lets the primary's view find us.
    with (directory / "postgresql.auto.conf").open("a") as handle:
        handle.write(f"cluster_name = '{name}'\n")
    for path in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
        shutil.chown(directory / path, "postgres", "postgres")


def start(port: int = 5433) -> Replica:
    ensure_replication_allowed()
    _drop_slot(f"bruecke_replica_{port}")  # left over from an interrupted run
    directory = Path(tempfile.mkdtemp(prefix="bruecke-replica-"))
    shutil.chown(directory, "postgres", "postgres")
    directory.chmod(0o700)
    name = f"bruecke_replica_{port}"
    started = time.monotonic()
    subprocess.run(  # noqa: S603
        _as_postgres(
            str(BIN / "pg_basebackup"),
            "-d",
            f"{PRIMARY} application_name={name}",
            "-D",
            str(directory),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
            # A slot keeps the primary's WAL until the standby has it: the copy takes minutes
            # while the primary writes on. Dropped again in stop().
            "-C",
            "-S",
            name,
        ),
        check=True,
    )
    print(f"base backup copied in {time.monotonic() - started:.0f} s", flush=True)
    _write_config(directory, port, name)
    replica = Replica(directory, port, name)
    try:
        subprocess.run(  # noqa: S603
            _as_postgres(
                str(BIN / "pg_ctl"),
                "-D",
                str(directory),
                "-l",
                str(directory / "log"),
                "-t",
                "600",
                "-w",
                "start",
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        wait_until_streaming(replica)
    except BaseException:
        print((directory / "log").read_text(errors="replace")[-3000:])
        stop(replica)
        raise
    return replica


def status(replica: Replica, database: str = "postgres") -> tuple[object, ...]:
    import psycopg

    with psycopg.connect(replica.url(database), autocommit=True) as connection:
        row = connection.execute(STATUS_SQL).fetchone()
    assert row is not None
    return tuple(row)


def primary_lag(replica: Replica) -> tuple[float, float]:
    """(bytes of WAL not yet replayed, replay lag in seconds) as the primary sees it."""
    rows = _primary(PRIMARY_LAG_SQL, replica.name)
    if not rows:
        return (float("nan"), float("nan"))
    replay_bytes, seconds = rows[0]
    return (float(replay_bytes or 0), float(seconds or 0))


def wait_until_streaming(replica: Replica, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if status(replica)[1] == "streaming":
                return
        except Exception:
            time.sleep(0.5)
            continue
        time.sleep(0.5)
    raise SystemExit(f"the replica does not stream after {seconds} s; see {replica.directory / 'log'}")


def stop(replica: Replica) -> None:
    subprocess.run(  # noqa: S603
        _as_postgres(str(BIN / "pg_ctl"), "-D", str(replica.directory), "-m", "fast", "stop"),
        check=False,
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(replica.directory, ignore_errors=True)
    _drop_slot(replica.name)


def _drop_slot(name: str) -> None:
    """A slot without its standby would keep the primary's WAL for ever."""
    _primary(
        "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = %s", name
    )


@contextmanager
def running(port: int = 5433, keep: bool = False) -> Iterator[Replica]:
    replica = start(port)
    try:
        yield replica
    finally:
        if keep:
            print(f"replica kept: {replica.directory} (stop: pg_ctl -D {replica.directory} stop)")
        else:
            stop(replica)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=5433)
    parser.add_argument("--database", default="postgres", help="the database named in the printed URL")
    parser.add_argument("--keep", action="store_true", help="leave the replica running")
    args = parser.parse_args()
    with running(args.port, args.keep) as replica:
        in_recovery, receiver, caught_up, since_replay = status(replica, args.database)
        print(f"streaming: {receiver}, in recovery: {in_recovery}, caught up: {caught_up}")
        print(f"last replayed transaction {since_replay} s ago; primary: {primary_lag(replica)}")
        print(f"DATABASE_REPLICA_URL={replica.url(args.database)}")


if __name__ == "__main__":
    main()
