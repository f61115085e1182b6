"""Starts the assistant's processes, the one way: the action server (loopback
only), Rasa servers with endpoints and credentials rendered from the
environment and the project's patches (patches/cli.py), and the web page.

Used by `make run` and `make shell` (this module's command line), by the tests'
`servers` fixture, by the benchmark and by the cluster (deploy/cluster.py).

    python -m deploy.launcher run      # `make run`: action server, Rasa server, web page
    python -m deploy.launcher shell    # `make shell`: rasa shell (reuses a running action server)

Settings come from the environment, as `make` passes them: RASA_PORT (5005),
ACTION_PORT (5055), WEB_PORT (8080), SHELL_PORT (5006), BIND (127.0.0.1),
MODEL, LOGS (logs), WEB_ORIGINS, and RASA_API_TOKEN or RASA_JWT_SECRET for
Rasa's HTTP API. Ctrl-C stops everything it started.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Callable, Dict, List, Mapping, Optional, Sequence, Union

import requests

from deploy.config import load_config, render

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_MODEL = ROOT / "models" / "bfs-assistant.tar.gz"
START_TIMEOUT = 300

Output = Union[Path, IO, None]  # a log file, a stream, or None for the terminal


def free_port() -> int:
    """A TCP port free on loopback now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_busy(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def wait_until(
    check: Callable[[], bool],
    what: str,
    proc: Optional[subprocess.Popen] = None,
    log: Optional[Path] = None,
    timeout: float = START_TIMEOUT,
) -> None:
    """Polls `check` until it is true; fails with the log's tail if `proc` stops first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:] if log and Path(log).exists() else ""
            raise RuntimeError(f"{what} stopped (exit {proc.returncode}):\n{tail}")
        try:
            if check():
                return
        except (requests.ConnectionError, requests.Timeout, OSError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{what} did not start in {timeout:.0f}s")


def answers(url: str) -> Callable[[], bool]:
    return lambda: requests.get(url, timeout=2).ok


def render_runtime_files(env: Mapping[str, str], folder: Path, leave_out: Sequence[str] = ()) -> Dict[str, Path]:
    """endpoints.yml and credentials.yml filled from `env` into `folder`
    (readable by the owner only: they may hold passwords)."""
    folder.mkdir(parents=True, exist_ok=True)
    return {
        name: render(
            ROOT / f"{name}.yml",
            env,
            folder / f"runtime-{name}.yml",
            leave_out=leave_out if name == "endpoints" else (),
        )
        for name in ("endpoints", "credentials")
    }


def left_out_notes(env: Mapping[str, str]) -> List[str]:
    """One line for each channel or endpoint left out because its variables are not set."""
    return [note for name in ("endpoints", "credentials") for note in load_config(ROOT / f"{name}.yml", env)[1]]


def action_server_command(port: int) -> List[str]:
    return [str(BIN / "rasa"), "run", "actions", "--actions", "actions", "--port", str(port)]


def rasa_command(
    subcommand: str,
    model: Path,
    port: int,
    endpoints: Path,
    credentials: Optional[Path] = None,
    interface: str = "127.0.0.1",
    api_args: Sequence[str] = (),
) -> List[str]:
    """`rasa run` or `rasa shell` through patches/cli.py (the patches unless BFS_PATCHES=off)."""
    command = [
        str(BIN / "python"),
        "-m",
        "patches.cli",
        subcommand,
        "--model",
        str(model),
        "--endpoints",
        str(endpoints),
        "--port",
        str(port),
    ]
    if credentials is not None:
        command += ["--credentials", str(credentials)]
    if subcommand == "run":
        command += ["--interface", interface]
    return command + list(api_args)


def web_command(
    port: int, host: str = "127.0.0.1", rasa_port: Optional[int] = None, rasa_url: Optional[str] = None
) -> List[str]:
    command = [str(BIN / "python"), "-m", "web.app", "--host", host, "--port", str(port)]
    if rasa_url:
        return command + ["--rasa-url", rasa_url]
    return command + ["--rasa-port", str(rasa_port)]


class Processes:
    """Processes started together and stopped together."""

    def __init__(self, new_sessions: bool = False) -> None:
        self.procs: Dict[str, subprocess.Popen] = {}
        self.logs: Dict[str, Path] = {}
        self.new_sessions = new_sessions

    def start(
        self,
        name: str,
        command: List[str],
        env: Mapping[str, str],
        output: Output = None,
        stdin: Optional[int] = subprocess.DEVNULL,
        cwd: Optional[Path] = None,
    ) -> subprocess.Popen:
        if isinstance(output, Path):
            output.parent.mkdir(parents=True, exist_ok=True)
            self.logs[name] = output
            stream: Optional[IO] = output.open("a")
        else:
            stream = output
        proc = subprocess.Popen(
            command,
            cwd=cwd or ROOT,
            env=dict(env),
            stdout=stream,
            stderr=subprocess.STDOUT if stream is not None else None,
            stdin=stdin,
            start_new_session=self.new_sessions,
        )
        self.procs[name] = proc
        return proc

    def wait_for(self, name: str, url: str, what: Optional[str] = None, timeout: float = START_TIMEOUT) -> None:
        wait_until(answers(url), what or name, self.procs[name], self.logs.get(name), timeout)

    def start_action_server(
        self, port: int, env: Mapping[str, str], output: Output = None, timeout: float = START_TIMEOUT
    ) -> subprocess.Popen:
        # The action server checks no token, so it only listens on loopback.
        proc = self.start("actions", action_server_command(port), dict(env, SANIC_HOST="127.0.0.1"), output)
        self.wait_for("actions", f"http://127.0.0.1:{port}/health", "the action server", timeout)
        return proc

    def stopped(self) -> List[str]:
        return [name for name, proc in self.procs.items() if proc.poll() is not None]

    def kill(self, name: str) -> None:
        """Stops one process at once (SIGKILL), as a crash would."""
        proc = self.procs[name]
        if self.new_sessions:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
        proc.wait()

    def stop(self, first_signal: Optional[Dict[str, int]] = None) -> None:
        """Stops every process still running, last started first (SIGTERM, or
        the signal named for it), killing those that take over 30 s."""
        for name in reversed(list(self.procs)):
            proc = self.procs[name]
            if proc.poll() is None:
                sig = (first_signal or {}).get(name, signal.SIGTERM)
                try:
                    os.killpg(proc.pid, sig) if self.new_sessions else proc.send_signal(sig)
                except ProcessLookupError:
                    pass
        for proc in self.procs.values():
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL) if self.new_sessions else proc.kill()
                proc.wait()


# --- `make run` and `make shell` -----------------------------------------------------------


def _api_args(env: Mapping[str, str]) -> List[str]:
    """Rasa's HTTP API (trackers, model, ...) only with a token or a JWT secret."""
    if env.get("RASA_API_TOKEN"):
        print("==> HTTP API on, protected by the token in RASA_API_TOKEN", flush=True)
        return ["--enable-api", "--auth-token", env["RASA_API_TOKEN"]]
    if env.get("RASA_JWT_SECRET"):
        print("==> HTTP API on, protected by JWTs signed with RASA_JWT_SECRET", flush=True)
        return [
            "--enable-api",
            "--jwt-secret",
            env["RASA_JWT_SECRET"],
            "--jwt-method",
            env.get("RASA_JWT_METHOD") or "HS256",
        ]
    print("==> HTTP API off (set RASA_API_TOKEN or RASA_JWT_SECRET to turn it on)", flush=True)
    return []


def _ready_message(web_port: int, rasa_port: int) -> str:
    return f"""
  The assistant is ready. Talk to it:
    - Browser: http://localhost:{web_port}
    - REST:  curl -s localhost:{rasa_port}/webhooks/rest/webhook -d '{{"sender":"me","message":"how is BFS different from ALS?"}}'
    - Terminal: make shell (in another terminal)
  Press Ctrl-C to stop.
"""


def main(argv: List[str]) -> int:
    mode = argv[0] if argv else "run"
    if mode not in ("run", "shell"):
        print("usage: python -m deploy.launcher [run|shell]", file=sys.stderr)
        return 2
    env = dict(os.environ)
    rasa_port, action_port = int(env.get("RASA_PORT", 5005)), int(env.get("ACTION_PORT", 5055))
    web_port, shell_port = int(env.get("WEB_PORT", 8080)), int(env.get("SHELL_PORT", 5006))
    bind = env.get("BIND", "127.0.0.1")
    model = Path(env.get("MODEL") or DEFAULT_MODEL)
    logs = Path(env.get("LOGS") or "logs")
    # The website's origins: the only pages whose widget may open the chat socket.
    env.setdefault("WEB_ORIGINS", f"http://localhost:{web_port},http://127.0.0.1:{web_port}")
    # A report for the doctor is downloaded from the web page (actions/report.py).
    env.setdefault("BFS_REPORT_URL", f"http://localhost:{web_port}")
    # No usage data or crash reports (which can quote a message) leave the machine.
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env["ACTION_PORT"] = str(action_port)

    # `make shell` next to a running `make run` reuses its action server.
    reuse_actions = mode == "shell" and _answers_now(f"http://127.0.0.1:{action_port}/health")
    ports = ([] if reuse_actions else [action_port]) + ([rasa_port, web_port] if mode == "run" else [shell_port])
    for port in ports:
        if port_busy(port):
            print(
                f"error: port {port} is already in use (another 'make run'?). Stop it, or choose other ports: "
                "make run RASA_PORT=5006 ACTION_PORT=5056 WEB_PORT=8081",
                file=sys.stderr,
            )
            return 1
    for note in left_out_notes(env):
        print(note, file=sys.stderr)

    procs = Processes()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with tempfile.TemporaryDirectory(prefix="bfs-run-") as tmp:
        files = render_runtime_files(env, Path(tmp))
        try:
            if reuse_actions:
                print(f"==> Using the action server already running on 127.0.0.1:{action_port}", flush=True)
            else:
                print(
                    f"==> Starting the action server on 127.0.0.1:{action_port} (log: {logs}/actions.log)", flush=True
                )
                procs.start_action_server(action_port, env, logs / "actions.log", timeout=60)
            if mode == "shell":
                shell = procs.start(
                    "shell", rasa_command("shell", model, shell_port, files["endpoints"]), env, stdin=None
                )
                return shell.wait()
            (ROOT / "var").mkdir(exist_ok=True)
            api_args = _api_args(env)
            print(f"==> Starting the Rasa server on {bind}:{rasa_port} (loading the model takes 20-30 s)", flush=True)
            procs.start(
                "rasa",
                rasa_command("run", model, rasa_port, files["endpoints"], files["credentials"], bind, api_args),
                env,
            )
            print(f"==> Starting the web page on http://{bind}:{web_port} (log: {logs}/web.log)", flush=True)
            procs.start("web", web_command(web_port, bind, rasa_port=rasa_port), env, logs / "web.log")
            procs.wait_for("rasa", f"http://127.0.0.1:{rasa_port}/webhooks/rest/", "the Rasa server")
            procs.wait_for("web", f"http://127.0.0.1:{web_port}/health", "the web page")
            print(_ready_message(web_port, rasa_port), flush=True)
            while not procs.stopped():
                time.sleep(1)
            print(f"error: {', '.join(procs.stopped())} stopped (see the messages above and {logs}/)", file=sys.stderr)
            return 1
        except RuntimeError as problem:
            print(f"error: {problem}", file=sys.stderr)
            return 1
        except KeyboardInterrupt:
            return 0
        finally:
            procs.stop()


def _answers_now(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except (requests.ConnectionError, requests.Timeout):
        return False


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
