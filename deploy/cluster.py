"""Rasa's documented scale-out, on one machine: `make cluster`.

    PostgreSQL (tracker store)   Redis (lock store)
              \\                    /
    Rasa replica 1 ... Rasa replica N  --->  action server (127.0.0.1)
              \\                    /
       nginx :8000  (/socket.io/ sticky by client address; webhooks and the API
                     round robin, retried on the other replica; / the web page)

Every server is a Debian package or this project's own process, started with
its data under one folder (var/cluster by default) and on loopback ports.
Ctrl-C stops them all; the data stays for the next start. tests/system/test_cluster.py
uses the same class.

    python -m deploy.cluster [--replicas 2] [--port 8000]
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

from deploy.config import render
from deploy.launcher import DEFAULT_MODEL, ROOT, Processes, answers, free_port, rasa_command, wait_until, web_command

PG_BIN = Path("/usr/lib/postgresql/15/bin")

NGINX_CONF = """\
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
daemon off;
events {{ worker_connections 1024; }}
http {{
  access_log off;                       # request lines are not needed here
  client_max_body_size 256k;
  client_body_buffer_size 256k;         # bodies stay in memory: no temp files
  proxy_max_temp_file_size 0;
  client_body_temp_path {root}/tmp/body;
  proxy_temp_path {root}/tmp/proxy;
  fastcgi_temp_path {root}/tmp/fastcgi;
  uwsgi_temp_path {root}/tmp/uwsgi;
  scgi_temp_path {root}/tmp/scgi;
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}

  # socket.io keeps state in the replica that opened the socket: sticky.
  upstream rasa_sticky {{
    ip_hash;
{servers}
  }}
  # Everything else is stateless per request (Postgres + Redis hold the state).
  upstream rasa {{
{servers}
  }}
  upstream web {{ server 127.0.0.1:{web_port}; }}

  server {{
    listen 127.0.0.1:{port};
    proxy_http_version 1.1;
    proxy_set_header Host $http_host;
    proxy_read_timeout 120s;
    proxy_next_upstream error timeout http_502 http_503;
    proxy_next_upstream_tries 2;

    location /socket.io/ {{
      proxy_pass http://rasa_sticky;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
    }}
    # A POST is retried on the other replica only if it never reached the first.
    location /webhooks/ {{ proxy_pass http://rasa; proxy_next_upstream error non_idempotent; }}
    location /conversations/ {{ proxy_pass http://rasa; }}
    location = /status {{ proxy_pass http://rasa; }}
    location / {{ proxy_pass http://web; }}
  }}
}}
"""


class Cluster:
    """PostgreSQL, Redis, the action server, N Rasa replicas, nginx and the web page."""

    def __init__(
        self,
        root: Path,
        replicas: int = 2,
        port: int = 8000,
        model: Optional[Path] = None,
        api_token: Optional[str] = None,
        ports: Optional[Dict[str, int]] = None,
        env: Optional[Dict[str, str]] = None,
    ) -> None:
        self.root = root.resolve()
        self.extra_env = dict(env or {})  # e.g. a chat channel's credentials
        self.model = model or DEFAULT_MODEL
        self.api_token = api_token
        ports = dict(ports or {})
        self.port = port
        self.pg_port = ports.get("postgres") or free_port()
        self.redis_port = ports.get("redis") or free_port()
        self.action_port = ports.get("actions") or free_port()
        self.web_port = ports.get("web") or free_port()
        self.replica_ports: List[int] = ports.get("replicas") or [free_port() for _ in range(replicas)]
        self.processes = Processes(new_sessions=True)
        self.logs = self.root / "logs"

    @property
    def procs(self) -> Dict[str, subprocess.Popen]:
        return self.processes.procs

    # --- the parts ------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def replica_url(self, index: int) -> str:
        return f"http://127.0.0.1:{self.replica_ports[index]}"

    def _password(self) -> str:
        path = self.root / "postgres.password"
        if not path.exists():
            path.write_text(secrets.token_urlsafe(24))
            path.chmod(0o600)
        return path.read_text().strip()

    def _as_postgres(self, command: List[str]) -> List[str]:
        # PostgreSQL refuses to run as root; as root, run it as the postgres user.
        return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command

    def _start(self, name: str, command: List[str], env: Optional[dict] = None) -> subprocess.Popen:
        return self.processes.start(name, command, env or os.environ.copy(), self.logs / f"{name}.log")

    def start_postgres(self) -> None:
        data = self.root / "postgres"
        if not (data / "PG_VERSION").exists():
            data.mkdir(parents=True, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(data, "postgres", "postgres")
            # The superuser has no password: it is reached only through the
            # socket in the data folder. Rasa logs in over TCP as `bfs`.
            subprocess.run(
                self._as_postgres(
                    [
                        str(PG_BIN / "initdb"),
                        "-D",
                        str(data),
                        "-U",
                        "postgres",
                        "--auth-local=trust",
                        "--auth-host=scram-sha-256",
                        "--encoding=UTF8",
                        "--locale=C.UTF-8",
                    ]
                ),
                check=True,
                stdout=subprocess.DEVNULL,
            )
        self._start(
            "postgres",
            self._as_postgres(
                [
                    str(PG_BIN / "postgres"),
                    "-D",
                    str(data),
                    "-p",
                    str(self.pg_port),
                    "-k",
                    str(data),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    "-c",
                    "logging_collector=off",
                ]
            ),
        )
        wait_until(
            lambda: self._psql("SELECT 1", db="postgres") == "1",
            "PostgreSQL",
            self.procs["postgres"],
            self.logs / "postgres.log",
        )
        if self._psql("SELECT 1 FROM pg_roles WHERE rolname = 'bfs'", db="postgres") != "1":
            self._psql(f"CREATE ROLE bfs LOGIN PASSWORD '{self._password()}'", db="postgres")
        if self._psql("SELECT 1 FROM pg_database WHERE datname = 'bfs'", db="postgres") != "1":
            self._psql("CREATE DATABASE bfs OWNER bfs", db="postgres")

    def _psql(self, sql: str, db: str = "bfs") -> str:
        psql = str(PG_BIN / "psql") if (PG_BIN / "psql").exists() else "psql"
        run = subprocess.run(
            self._as_postgres(
                [
                    psql,
                    "-h",
                    str(self.root / "postgres"),
                    "-p",
                    str(self.pg_port),
                    "-U",
                    "postgres",
                    "-d",
                    db,
                    "-tAc",
                    sql,
                ]
            ),
            capture_output=True,
            text=True,
        )
        if run.returncode != 0:
            raise OSError(run.stderr.strip())
        return run.stdout.strip()

    def start_redis(self) -> None:
        self._start(
            "redis",
            [
                "redis-server",
                "--port",
                str(self.redis_port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.root),
            ],
        )
        wait_until(lambda: self._redis_ping(), "Redis", self.procs["redis"], self.logs / "redis.log")

    def _redis_ping(self) -> bool:
        with socket.create_connection(("127.0.0.1", self.redis_port), timeout=2) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")

    def environment(self) -> dict:
        """What the replicas read endpoints.yml and credentials.yml with."""
        env = dict(
            os.environ,
            SANIC_HOST="127.0.0.1",
            ACTION_PORT=str(self.action_port),
            TRACKER_DIALECT="postgresql",
            TRACKER_HOST="127.0.0.1",
            TRACKER_PORT=str(self.pg_port),
            TRACKER_DB="bfs",
            TRACKER_USER="bfs",
            TRACKER_PASSWORD=self._password(),
            REDIS_HOST="127.0.0.1",
            REDIS_PORT=str(self.redis_port),
            WEB_ORIGINS=f"http://127.0.0.1:{self.port},http://localhost:{self.port}",
            RASA_TELEMETRY_ENABLED="false",
        )
        # A report's one-time link is on the page nginx serves (the web page reads it from PostgreSQL).
        env.setdefault("BFS_REPORT_URL", f"http://localhost:{self.port}")
        env.update(self.extra_env)
        return env

    def _render(self, name: str, env: dict) -> Path:
        return render(ROOT / name, env, self.root / f"runtime-{name}")  # holds the database password

    def start_actions(self) -> None:
        self.processes.start_action_server(self.action_port, self.environment(), self.logs / "actions.log")

    def start_replica(self, index: int) -> None:
        env = self.environment()
        api_args = ["--enable-api", "--auth-token", self.api_token] if self.api_token else []
        self._start(
            f"rasa-{index + 1}",
            rasa_command(
                "run",
                self.model,
                self.replica_ports[index],
                self._render("endpoints.yml", env),
                self._render("credentials.yml", env),
                api_args=api_args,
            ),
            env,
        )

    def wait_for_replica(self, index: int) -> None:
        name = f"rasa-{index + 1}"
        self.processes.wait_for(name, self.replica_url(index) + "/webhooks/rest/", f"Rasa replica {index + 1}")

    def start_web(self) -> None:
        self._start("web", web_command(self.web_port, rasa_url="same-origin"), self.environment())
        self.processes.wait_for("web", f"http://127.0.0.1:{self.web_port}/health", "the web page")

    def start_nginx(self) -> None:
        conf_root = self.root / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (conf_root / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in self.replica_ports)
        conf = conf_root / "nginx.conf"
        conf.write_text(NGINX_CONF.format(root=conf_root, servers=servers, port=self.port, web_port=self.web_port))
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        self._start("nginx", [nginx, "-p", str(conf_root), "-e", str(conf_root / "error.log"), "-c", str(conf)])
        wait_until(answers(self.url + "/webhooks/rest/"), "nginx", self.procs["nginx"], conf_root / "error.log")

    # --- all together ---------------------------------------------------------

    def start(self) -> "Cluster":
        self.logs.mkdir(parents=True, exist_ok=True)
        try:
            print(f"==> PostgreSQL on 127.0.0.1:{self.pg_port}, Redis on 127.0.0.1:{self.redis_port}", flush=True)
            self.start_postgres()
            self.start_redis()
            print(f"==> Action server on 127.0.0.1:{self.action_port}", flush=True)
            self.start_actions()
            print(
                f"==> {len(self.replica_ports)} Rasa replicas on ports "
                f"{', '.join(map(str, self.replica_ports))} (loading the model, 30-60 s)",
                flush=True,
            )
            for index in range(len(self.replica_ports)):
                self.start_replica(index)
            for index in range(len(self.replica_ports)):
                self.wait_for_replica(index)
            self.start_web()
            self.start_nginx()
        except BaseException:
            self.stop()
            raise
        return self

    def kill(self, name: str) -> None:
        """Stops one process at once (SIGKILL), as a crash would."""
        self.processes.kill(name)

    def stop(self) -> None:
        # PostgreSQL's "fast" shutdown is SIGINT; SIGTERM would wait for clients.
        self.processes.stop(first_signal={"postgres": signal.SIGINT})


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description="Start the assistant as a cluster on this machine.")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8000, help="nginx's port (the one entry point)")
    parser.add_argument("--data", default="var/cluster", help="where PostgreSQL, Redis and the logs keep their files")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    cluster = Cluster(
        Path(args.data), replicas=args.replicas, port=args.port, api_token=os.environ.get("RASA_API_TOKEN") or None
    )
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        cluster.start()
        print(
            f"\n  The cluster is ready: http://localhost:{args.port} (the page, socket.io, webhooks)\n"
            f"  Logs: {cluster.logs}. Press Ctrl-C to stop.\n",
            flush=True,
        )
        while all(proc.poll() is None for proc in cluster.procs.values()):
            time.sleep(1)
        stopped = [name for name, proc in cluster.procs.items() if proc.poll() is not None]
        print(f"error: {', '.join(stopped)} stopped; see {cluster.logs}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    except RuntimeError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        cluster.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
