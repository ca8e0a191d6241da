"""Issue 19: the dashboard and an export read from a PostgreSQL streaming replica while a writer
loads the primary, and how far the replica lags.

`measure(runs)`:
1. checks what the replica needs: a `replication` line in the primary's pg_hba.conf (added,
   with a reload, when this process may write the file; otherwise it says what is missing),
   wal_level, and free disk for a copy of the whole cluster;
2. starts a replica on the same machine: `pg_basebackup -R -X stream` into var/bench-replica,
   then `pg_ctl start` on port 5433 (as the postgres user when run as root: pg_ctl refuses root);
3. runs a writer process (notes on a case, through the service, in a loop) and, in another
   process with DATABASE_REPLICA_URL set, times the supervisor dashboard, the statistics page
   and the case export (last 30 days, CSV), each on the primary and on the replica, runs
   interleaved; meanwhile samples the lag (bytes: WAL position difference; seconds:
   pg_stat_replication.replay_lag and the time since the last replayed commit);
4. stops and removes the replica (also when something failed).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/anxin_bench_replica python -m bench.replica
"""

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ISSUE = 19
ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("ANXIN_PG_BIN", "/usr/lib/postgresql/15/bin"))
REPLICA_DIR = ROOT / "var" / "bench-replica"
PORT = int(os.environ.get("ANXIN_BENCH_REPLICA_PORT", "5433"))
HBA_LINE = "host replication all 127.0.0.1/32 trust"
SLOT = "anxin_bench_replica"
# Settings a hot standby needs at least as high as its primary's.
AT_LEAST_PRIMARY = (
    "max_connections",
    "max_worker_processes",
    "max_wal_senders",
    "max_prepared_transactions",
    "max_locks_per_transaction",
)


class ReplicaUnavailable(Exception):
    """Why no replica could be started: said in the report, not raised to `make bench`."""


def _primary():
    import dj_database_url

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    return {
        "host": config["HOST"] or "127.0.0.1",
        "port": int(config["PORT"] or 5432),
        "user": config["USER"] or "postgres",
        "dbname": config["NAME"],
    }


def _connect(port: int | None = None, **overrides):
    import psycopg

    params = {**_primary(), **overrides}
    if port is not None:
        params["port"] = port
    return psycopg.connect(**params, autocommit=True, connect_timeout=5)


def _one(conn, sql, params=None):
    return conn.execute(sql, params).fetchone()[0]


def _as_postgres(args: list[str]) -> list[str]:
    """pg_ctl refuses to run as root: run the server's tools as the postgres user then."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *args]
    return args


# --- 1. What the replica needs -------------------------------------------------------------


def preflight(conn) -> list[str]:
    """Notes on what was checked or changed; raises ReplicaUnavailable when it cannot go on."""
    notes = []
    if _one(conn, "SHOW wal_level") not in ("replica", "logical"):
        raise ReplicaUnavailable("the primary's wal_level is 'minimal': set it to 'replica'")
    if int(_one(conn, "SHOW max_wal_senders")) < 2:
        raise ReplicaUnavailable("the primary's max_wal_senders is below 2")
    hba = Path(_one(conn, "SHOW hba_file"))
    lines = hba.read_text().splitlines() if os.access(hba, os.R_OK) else None
    has_line = lines is not None and any(
        line.split()[1:2] == ["replication"]
        for line in lines
        if line.strip() and not line.lstrip().startswith("#")
    )
    if not has_line:
        missing = (
            f"{hba} has no `replication` line: pg_basebackup and the replica's WAL stream "
            f"connect with the replication protocol, which the `all` lines do not cover"
        )
        if not os.access(hba, os.W_OK):
            raise ReplicaUnavailable(f"{missing}. Add `{HBA_LINE}` and reload PostgreSQL.")
        with hba.open("a") as out:
            out.write("\n# Added by Anxin's bench/replica.py (a replica on this machine)\n")
            out.write(HBA_LINE + "\n")
        _one(conn, "SELECT pg_reload_conf()")
        notes.append(f"{missing}; added `{HBA_LINE}` and reloaded the configuration")
        print(f"  replica: {notes[-1]}", flush=True)
    cluster = int(_one(conn, "SELECT sum(pg_database_size(datname)) FROM pg_database"))
    REPLICA_DIR.parent.mkdir(parents=True, exist_ok=True)
    free = shutil.disk_usage(REPLICA_DIR.parent).free
    needed = cluster * 2 + 2 * 1024**3  # the copy, the WAL it streams meanwhile, a margin
    size = f"cluster {cluster / 1024**3:.2f} GB, {free / 1024**3:.1f} GB free"
    if free < needed:
        raise ReplicaUnavailable(
            f"pg_basebackup copies the whole cluster ({size}): not enough disk under "
            f"{REPLICA_DIR.parent}; drop unused databases or point ANXIN_VAR_DIR elsewhere"
        )
    notes.append(size)
    return notes


# --- 2. Start and 4. stop ----------------------------------------------------------------


def start_replica(conn) -> float:
    """pg_basebackup into REPLICA_DIR and start it on PORT; returns the seconds the copy took."""
    stop_replica()
    REPLICA_DIR.mkdir(parents=True)
    if os.geteuid() == 0:
        shutil.chown(REPLICA_DIR, "postgres", "postgres")
    REPLICA_DIR.chmod(0o700)
    primary = _primary()
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 (the server's own tools, our own arguments)
        _as_postgres(
            [
                str(PG_BIN / "pg_basebackup"),
                *("-h", primary["host"], "-p", str(primary["port"]), "-U", primary["user"]),
                *("-D", str(REPLICA_DIR), "-R", "-X", "stream", "-c", "fast"),
                # A slot keeps the primary's WAL until the replica has it: under other
                # benchmarks' writes, segments were recycled before it began to stream.
                *("-C", "-S", SLOT),
            ]
        ),
        check=True,
        capture_output=True,
        text=True,
    )
    copied = time.perf_counter() - started
    print(f"  replica: pg_basebackup copied the cluster in {copied:.0f} s", flush=True)
    # Debian keeps the configuration in /etc/postgresql, outside the data directory: the copy
    # has none. A hot standby needs some settings at least as high as its primary's.
    floors = "\n".join(f"{name} = {_one(conn, f'SHOW {name}')}" for name in AT_LEAST_PRIMARY)
    (REPLICA_DIR / "postgresql.conf").write_text(
        f"port = {PORT}\nlisten_addresses = '127.0.0.1'\n"
        f"unix_socket_directories = '{REPLICA_DIR}'\n"
        "hot_standby = on\ncluster_name = 'anxin_bench_replica'\nshared_buffers = 128MB\n"
        f"{floors}\n"
    )
    (REPLICA_DIR / "pg_hba.conf").write_text(
        "local all all trust\nhost all all 127.0.0.1/32 trust\n"
    )
    (REPLICA_DIR / "pg_ident.conf").write_text("")
    if os.geteuid() == 0:
        for name in ("postgresql.conf", "pg_hba.conf", "pg_ident.conf"):
            shutil.chown(REPLICA_DIR / name, "postgres", "postgres")
    subprocess.run(  # noqa: S603
        _as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                *("-D", str(REPLICA_DIR), "-l", str(REPLICA_DIR / "server.log")),
                *("-o", f"-p {PORT}", "-w", "-t", "900", "start"),
            ]
        ),
        check=True,
        capture_output=True,
        text=True,
    )
    print(f"  replica: started ({time.perf_counter() - started - copied:.0f} s)", flush=True)
    return copied


def stop_replica() -> None:
    if (REPLICA_DIR / "postmaster.pid").exists():
        subprocess.run(  # noqa: S603
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(REPLICA_DIR), "-m", "fast", "stop"]),
            capture_output=True,
            check=False,
        )
    _drop_slot()
    log = REPLICA_DIR / "server.log"
    if log.exists():  # kept for a look after the run
        shutil.copyfile(log, REPLICA_DIR.with_name("bench-replica.log"))
    shutil.rmtree(REPLICA_DIR, ignore_errors=True)


def _drop_slot() -> None:
    """A slot left behind would keep every WAL segment on the primary from now on."""
    with _connect() as conn:
        for _ in range(50):  # the primary's WAL sender may take a moment to let go
            active = conn.execute(
                "SELECT active FROM pg_replication_slots WHERE slot_name = %s", (SLOT,)
            ).fetchone()
            if active is None:
                return
            if not active[0]:
                conn.execute("SELECT pg_drop_replication_slot(%s)", (SLOT,))
                return
            time.sleep(0.2)
        print(f"  replica: could not drop the replication slot {SLOT}: drop it", flush=True)


def _wait_streaming(conn, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = conn.execute(
            "SELECT state FROM pg_stat_replication WHERE application_name = 'anxin_bench_replica'"
        ).fetchone()
        if state and state[0] == "streaming":
            return
        time.sleep(0.2)
    raise ReplicaUnavailable("the replica started but does not stream (see its server.log)")


# --- 3. Lag, sampled while the pages are timed -------------------------------------------


class LagSampler(threading.Thread):
    def __init__(self, every: float = 0.25):
        super().__init__(daemon=True)
        self.every, self.samples, self.stopping = every, [], threading.Event()

    def run(self):
        primary, replica = _connect(), _connect(PORT)
        try:
            while not self.stopping.is_set():
                replayed, since_commit = replica.execute(
                    "SELECT pg_last_wal_replay_lsn(), CASE WHEN pg_last_wal_receive_lsn() = "
                    "pg_last_wal_replay_lsn() THEN 0 ELSE EXTRACT(EPOCH FROM now() - "
                    "pg_last_xact_replay_timestamp()) END"
                ).fetchone()
                behind, replay_lag = primary.execute(
                    "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s::pg_lsn), "
                    "(SELECT EXTRACT(EPOCH FROM replay_lag) FROM pg_stat_replication "
                    "WHERE application_name = 'anxin_bench_replica')",
                    (replayed,),
                ).fetchone()
                self.samples.append(
                    (max(0, int(behind)), float(replay_lag or 0), float(since_commit or 0))
                )
                self.stopping.wait(self.every)
        finally:
            primary.close()
            replica.close()


def _pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * q))] if values else None


def measure(runs: int) -> list[dict]:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return [_row("reads on a replica", None, "needs PostgreSQL (DATABASE_URL)")]
    conn = _connect()
    writer = None
    try:
        notes = preflight(conn)
        copied = start_replica(conn)
        _wait_streaming(conn)
        print(f"  replica: streaming on port {PORT} (copied in {copied:.1f} s)", flush=True)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        writer = subprocess.Popen(
            [sys.executable, "-m", "bench.replica", "--writer"],
            cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        if writer.stdout.readline().strip() != "ready":
            raise ReplicaUnavailable("the writer process did not start")
        sampler = LagSampler()
        sampler.start()
        primary = _primary()
        child_env = {
            **env,
            "DATABASE_REPLICA_URL": f"postgres://{primary['user']}@127.0.0.1:{PORT}/"
            f"{primary['dbname']}",
        }
        timed = subprocess.run(  # noqa: S603 (our own module)
            [sys.executable, "-m", "bench.replica", "--child", "--runs", str(runs)],
            cwd=ROOT, env=child_env, capture_output=True, text=True, check=False,
        )  # fmt: skip
        sampler.stopping.set()
        sampler.join()
        writer.terminate()
        writes = writer.communicate(timeout=30)[0].strip().splitlines()
        if timed.returncode != 0:
            raise ReplicaUnavailable(f"the timing process failed:\n{timed.stderr[-2000:]}")
        figures = json.loads(timed.stdout.strip().splitlines()[-1])
    except (ReplicaUnavailable, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", "") or ""
        print(f"  replica: not measured: {error} {detail}".rstrip(), flush=True)
        return [_row("reads on a replica", None, f"not measured: {error} {detail}".strip())]
    finally:
        if writer is not None and writer.poll() is None:
            writer.kill()
        stop_replica()
        conn.close()
    return _rows(figures, sampler.samples, writes, notes)


def _row(name, summary, target, **extra):
    summary = summary or {}
    return {
        "operation": name,
        "median_ms": summary.get("median_ms"),
        "p95_ms": summary.get("p95_ms"),
        "queries": summary.get("queries"),
        "target": target,
        "issue": ISSUE,
        "meets_target": bool(summary) and summary.get("ok", True),
        **extra,
    }


def _rows(figures, samples, writes, notes) -> list[dict]:
    rate = writes[-1] if writes else "unknown"
    rows = []
    for page in figures["pages"]:
        for where in ("primary", "replica"):
            got = page[where]
            served = got["replica_queries"] > 0
            got["ok"] = served == (where == "replica") and got["errors"] == 0
            rows.append(
                _row(
                    f"{page['name']} on the {where}, under write load ({rate})",
                    got,
                    "served by the replica" if where == "replica" else "served by the primary",
                    cpu_ms=got["cpu_ms"],
                    load=got["load"],
                    replica_queries=got["replica_queries"],
                )
            )
    lag_bytes = [s[0] for s in samples]
    replay = [s[1] * 1000 for s in samples]
    since_commit = [s[2] * 1000 for s in samples]
    rows.append(
        _row(
            f"replica lag under write load ({len(samples)} samples): replay_lag p50/p95/max "
            f"{_pct(replay, 0.5):.1f}/{_pct(replay, 0.95):.1f}/{max(replay):.1f} ms; behind by "
            f"p50/p95/max {_pct(lag_bytes, 0.5):,}/{_pct(lag_bytes, 0.95):,}/{max(lag_bytes):,} "
            f"bytes; since last replayed commit max {max(since_commit):.0f} ms",
            {
                "median_ms": round(_pct(replay, 0.5), 2),
                "p95_ms": round(_pct(replay, 0.95), 2),
                "ok": max(replay) < 10_000,
            },
            "under ANXIN_REPLICA_MAX_LAG_SECONDS (10 s)",
            lag_bytes_p50=_pct(lag_bytes, 0.5),
            lag_bytes_max=max(lag_bytes),
            notes=notes,
        )
    )
    back = figures["read_your_writes"]
    rows.append(
        _row(
            "read-your-writes: after a supervisor's own POST, until their dashboard reads go "
            f"back to the replica ({back['first_on_primary']} of {back['rounds']} reads right "
            "after the POST kept on the primary; the others had been replayed already)",
            {
                "median_ms": back["median_ms"],
                "p95_ms": back["p95_ms"],
                "ok": back["back_on_replica"],
            },
            "on the primary until the replica has replayed the write, then back",
        )
    )
    return rows


# --- The writer and the timing process -----------------------------------------------------


def _writer() -> int:
    """Notes on one case, through the service, until terminated; prints the rate at the end."""
    import signal

    from bench.__main__ import configure

    configure()
    from bench.measures import _case_with_20_events
    from casework.cases.services.handling import case_add_note
    from casework.organisation.models import User

    coordinator = User.objects.get(username="xixing.coordinator")
    case = _case_with_20_events()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("ready", flush=True)
    started, count = time.perf_counter(), 0
    while not stop.is_set():
        case_add_note(actor=coordinator, case_id=case.pk, body=f"负载 {count}", is_public=False)
        count += 1
    print(f"{count / (time.perf_counter() - started):.0f} notes/s", flush=True)
    return 0


def main() -> int:
    rows = measure(int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 30)
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))
    return 0 if all(row["meets_target"] for row in rows) else 1


if __name__ == "__main__" and "--writer" in sys.argv:
    sys.exit(_writer())
if __name__ == "__main__" and "--child" in sys.argv:
    from bench.replica_child import main as child_main

    sys.exit(child_main())
if __name__ == "__main__" and not {"--writer", "--child"} & set(sys.argv):
    sys.exit(main())
