"""A throwaway PostgreSQL server for the tests and the team-history benchmark: initdb + pg_ctl
in a temporary folder, on a free port of 127.0.0.1 and a unix socket in that folder.

PostgreSQL refuses to run as root (CI runs as root), so there the server is set up and run as
the `postgres` user (made by the distribution's package) through `runuser`; its folder is
handed to that user. No mock: the tests talk to the real server the team would run.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg

ROLE, PASSWORD = "agent", "s3cret-for-tests"


def _bin_dir() -> Path:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent  # /usr/local/bin/pg_ctl -> /usr/lib/postgresql/NN/bin
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                      key=lambda p: int(Path(p).parent.parent.name), reverse=True)
    if versions:
        return Path(versions[0]).parent
    raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed: "
                       "run .ci/install (apt package 'postgresql').")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """initdb on construction; start()/stop()/restart(); databases for tests; remove()."""

    def __init__(self, *, durable: bool = False) -> None:
        self.bin = _bin_dir()
        self.base = Path(tempfile.mkdtemp(prefix="pa-pg-"))
        self.data = self.base / "data"
        self.port = _free_port()
        self._as: list[str] = []
        if os.geteuid() == 0:
            user = "postgres" if _user_exists("postgres") else "nobody"
            info = pwd.getpwnam(user)
            os.chown(self.base, info.pw_uid, info.pw_gid)
            self._as = ["runuser", "-u", user, "--"]
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-E", "UTF8",
                  "--locale=C.UTF-8", "--auth-local=trust", "--auth-host=scram-sha-256",
                  "--no-sync", "--no-instructions")
        settings = [
            "listen_addresses = '127.0.0.1'",
            f"port = {self.port}",
            f"unix_socket_directories = '{self.base}'",
            "max_connections = 120",
        ]
        if not durable:  # tests: no fsync (a crash of the test server loses nothing we need)
            settings += ["fsync = off", "synchronous_commit = off", "full_page_writes = off"]
        self._append_conf(settings)
        self.running = False

    def _append_conf(self, lines: list[str]) -> None:
        conf = self.data / "postgresql.conf"
        text = "\n".join(lines) + "\n"
        if self._as:  # the file belongs to the server's user
            subprocess.run([*self._as, "sh", "-c", f"cat >> '{conf}'"], input=text, text=True,
                           check=True)
        else:
            with conf.open("a") as fh:
                fh.write(text)

    def _run(self, program: str, *args: str) -> None:
        done = subprocess.run([*self._as, str(self.bin / program), *args],
                              capture_output=True, text=True, cwd=self.base)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stdout}{done.stderr}")

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.base / "server.log"),
                  "-w", "-t", "60", "start")
        self.running = True
        if not getattr(self, "_role_made", False):
            with self.admin() as conn:
                conn.execute(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'")
            self._role_made = True

    def stop(self) -> None:
        if self.running:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")
            self.running = False

    def restart(self) -> None:
        self.stop()
        self.start()

    def remove(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.base, ignore_errors=True)

    def admin(self) -> psycopg.Connection:
        """A superuser connection over the unix socket (trust), autocommit."""
        return psycopg.connect(host=str(self.base), port=self.port, user="postgres",
                               dbname="postgres", autocommit=True)

    def create_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" OWNER {ROLE}')

    def url(self, database: str, *, password: bool = True) -> str:
        """postgresql://agent[:password]@127.0.0.1:PORT/database (TCP, password checked)."""
        secret = f":{PASSWORD}" if password else ""
        return f"postgresql://{ROLE}{secret}@127.0.0.1:{self.port}/{database}"


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
