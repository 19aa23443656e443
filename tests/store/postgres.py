"""A real PostgreSQL server for the run store's tests: initdb and pg_ctl on a temporary folder.

PostgreSQL refuses to run as root, so as root the server runs as ``nobody`` (through ``runuser``) in a
folder that user owns. Without a server binary the PostgreSQL tests skip, saying so.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

UNPRIVILEGED = "nobody"


def server_binaries() -> Path | None:
    """The folder of ``pg_ctl`` and ``initdb``: on the PATH, else Debian's /usr/lib/postgresql/N/bin."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(candidates[-1]).parent if candidates else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(binaries: Path) -> Iterator[str]:
    """A server on a loopback port, stopped and removed afterwards; yields its URL without a database."""
    folder = Path(tempfile.mkdtemp(prefix="assay-pg-"))
    prefix: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if runuser is None:
            raise RuntimeError("running as root without runuser: PostgreSQL cannot be started")
        prefix = [runuser, "-u", UNPRIVILEGED, "--"]
        folder.chmod(0o755)
        shutil.chown(folder, UNPRIVILEGED)
    data, port = folder / "data", _free_port()
    subprocess.run(
        [*prefix, str(binaries / "initdb"), "-D", str(data), "-U", "assay", "--auth=trust", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    subprocess.run(
        [
            *prefix,
            str(binaries / "pg_ctl"),
            "-D",
            str(data),
            "-o",
            options,
            "-l",
            str(folder / "log"),
            "-w",
            "start",
        ],
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql://assay@127.0.0.1:{port}"
    finally:
        subprocess.run(
            [*prefix, str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"],
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)


def new_database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"
