"""Latency, throughput, memory and start-up of the assistant against a `rasa init` bot.

    make bench                      # trains both from scratch, then measures
    .venv/bin/python scripts/bench.py --no-train   # reuse the trained models

Both bots are served by the same installation, side by side on the same
machine in the same run, and driven through the REST channel by 1 and by 10
concurrent senders, in batches that alternate between them. Ours gets a mix of FAQs, a symptom check and
chit-chat, and runs as `make run` runs it (deploy/launcher.py: action server, SQLite tracker store,
the patches of patches/); it is also served with the patches off (BFS_PATCHES=off), to show what
they are worth. Prints a table and the ratios ours/baseline, and writes results/bench.json.
A benchmark, not a test: it reports the targets, it does not fail on them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Optional

import requests

from deploy.launcher import BIN, ROOT, Processes, free_port, rasa_command, render_runtime_files
from deploy.launcher import DEFAULT_MODEL as OUR_MODEL

OUR_SCRIPT = [
    "hello",
    "how is BFS different from ALS?",
    "can coffee cause twitching?",
    "my left calf has twitched for 3 weeks",  # starts the symptom check
    "no",
    "no, none of these",
    "gradually over a few weeks",
    "what is bfs?",  # an FAQ inside the check
    "stop",
    "thanks",
]
BASELINE_SCRIPT = ["hello", "I am sad", "yes", "are you a bot?", "great", "bye", "hi", "no", "very good", "goodbye"]
TARGETS = {"p50 ratio": 1.3, "p95 ratio": 1.3, "rss_mb": 1536, "ready_s": 30}


def rss_mb(pid: int) -> Dict[str, float]:
    status = Path(f"/proc/{pid}/status").read_text()
    values = {
        line.split(":")[0]: int(line.split()[1]) / 1024
        for line in status.splitlines()
        if line.startswith(("VmRSS", "VmHWM"))
    }
    return {"rss_mb": round(values["VmRSS"]), "peak_rss_mb": round(values["VmHWM"])}


class Server:
    """One Rasa server (and, for ours, the action server), started by the launcher."""

    def __init__(
        self, name: str, cwd: Path, model: Path, ours: bool, logs: Path, in_memory: bool = False, patches: str = "on"
    ) -> None:
        self.name = name
        self.port = free_port()
        self.processes = Processes()
        env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", SANIC_HOST="127.0.0.1", BFS_PATCHES=patches)
        if ours:
            action_port = free_port()
            env.update(ACTION_PORT=str(action_port), TRACKER_DB=str(logs / f"{name}-tracker.db"))
            # --in-memory: to see what keeping conversations in SQLite costs
            files = render_runtime_files(env, logs / name, leave_out=["tracker_store"] if in_memory else [])
            self.actions = self.processes.start_action_server(action_port, env, logs / f"{name}-actions.log")
            command = rasa_command("run", model, self.port, files["endpoints"], files["credentials"])
        else:  # the baseline, as `rasa run` in its own folder
            command = [
                str(BIN / "rasa"),
                "run",
                "--model",
                str(model),
                "--port",
                str(self.port),
                "--interface",
                "127.0.0.1",
            ]
        started = time.monotonic()
        self.rasa = self.processes.start("rasa", command, env, logs / f"{name}-rasa.log", cwd=cwd)
        self.processes.wait_for("rasa", self.url("/webhooks/rest/"), f"{name}'s Rasa server")
        self.ready_s = time.monotonic() - started

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        self.processes.stop()


class Load:
    """Latencies of one server at one concurrency, gathered over several batches."""

    def __init__(self) -> None:
        self.latencies: List[float] = []
        self.by_message: Dict[str, List[float]] = {}
        self.errors = self.silent = 0
        self.wall = 0.0

    def summary(self) -> Dict[str, object]:
        ordered = sorted(self.latencies)
        return {
            "messages": len(ordered),
            "errors": self.errors,
            "no_reply": self.silent,
            "p50_ms": round(1000 * statistics.median(ordered), 1),
            "mean_ms": round(1000 * statistics.fmean(ordered), 1),
            "p95_ms": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 1),
            "msg_per_s": round(len(ordered) / self.wall, 2),
            "p50_ms_by_message": {m: round(1000 * statistics.median(v), 1) for m, v in self.by_message.items()},
        }


def drive(server: Server, script: List[str], senders: int, tag: str, load: Load) -> None:
    """`senders` people at once, each going through the script once."""
    lock = threading.Lock()

    def person(index: int) -> None:
        session = requests.Session()
        sender = f"{tag}-{index}"
        for message in script:
            started = time.perf_counter()
            response = session.post(
                server.url("/webhooks/rest/webhook"), json={"sender": sender, "message": message}, timeout=120
            )
            elapsed = time.perf_counter() - started
            with lock:
                load.latencies.append(elapsed)
                load.by_message.setdefault(message, []).append(elapsed)
                load.errors += response.status_code != 200
                load.silent += response.status_code == 200 and not response.json()

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=senders) as pool:
        list(pool.map(person, range(senders)))
    load.wall += time.perf_counter() - started


def train(command: List[str], cwd: Path, label: str) -> float:
    """Trains from scratch (an empty cache), returns seconds."""
    print(f"==> Training {label} from scratch", flush=True)
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, RASA_TELEMETRY_ENABLED="false", RASA_CACHE_DIRECTORY=cache)
        started = time.monotonic()
        subprocess.run(command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return round(time.monotonic() - started, 1)


def measure_both(servers: Dict[str, Server], scripts: Dict[str, List[str]], rounds: Dict[int, int]) -> Dict:
    """Alternates batches between the servers, so that whatever else the
    machine does affects them all alike. Only one server is busy at a time."""
    results: Dict[str, Dict[str, object]] = {
        name: {"ready_s": round(server.ready_s, 1)} for name, server in servers.items()
    }
    for name, server in servers.items():
        drive(server, scripts[name], 1, f"{name}-warm", Load())
    for senders, batches in rounds.items():
        print(f"==> {senders} sender(s), {batches} batches of one conversation each, alternating", flush=True)
        loads = {name: Load() for name in servers}
        for batch in range(batches):
            for name, server in servers.items():
                drive(server, scripts[name], senders, f"{name}-{senders}-{batch}", loads[name])
        for name in servers:
            results[name][f"{senders}_senders"] = loads[name].summary()
    for name, server in servers.items():
        results[name].update(rss_mb(server.rasa.pid))
        if getattr(server, "actions", None) is not None:
            results[name]["action_server_rss_mb"] = rss_mb(server.actions.pid)["rss_mb"]
    return results


def report(ours: Dict, base: Dict, variants: Optional[Dict[str, Dict]] = None) -> str:
    """The table: ours, the baseline, ours/baseline, and ours in each variant measured
    (the patches off, or one left out)."""
    variants = variants or {}
    lines = [f"{'':28}{'ours':>12}{'baseline':>12}{'ours/base':>11}" + "".join(f"{n[:15]:>16}" for n in variants)]

    def get(result: Optional[Dict], *keys: str) -> Optional[float]:
        for key in keys:
            result = (result or {}).get(key)
        return result

    def row(label: str, keys: tuple, unit: str = "") -> None:
        a, b = get(ours, *keys), get(base, *keys)
        ratio = f"{a / b:.2f}x" if a is not None and b else "-"
        shown = ["-" if v is None else f"{v}{unit}" for v in [a, b] + [get(v, *keys) for v in variants.values()]]
        lines.append(f"{label:28}{shown[0]:>12}{shown[1]:>12}{ratio:>11}" + "".join(f"{e:>16}" for e in shown[2:]))

    for senders in (1, 10):
        key = f"{senders}_senders"
        for metric, unit in (("p50_ms", " ms"), ("p95_ms", " ms"), ("mean_ms", " ms"), ("msg_per_s", "")):
            row(f"{metric} ({senders} sender{'s' if senders > 1 else ''})", (key, metric), unit)
    row("Rasa server RSS", ("rss_mb",), " MB")
    row("Rasa server peak RSS", ("peak_rss_mb",), " MB")
    row("ready (model loaded)", ("ready_s",), " s")
    row("training from scratch", ("train_s",), " s")
    lines.append(f"{'action server RSS (ours)':28}{str(ours.get('action_server_rss_mb')) + ' MB':>12}")
    for name, result in (("ours", ours), ("baseline", base)):
        lines.append(f"\np50 by message, 1 sender ({name}):")
        for message, p50 in result["1_senders"]["p50_ms_by_message"].items():
            lines.append(f"  {p50:7.1f} ms  {message}")
    return "\n".join(lines)


def targets(ours: Dict, base: Dict) -> List[str]:
    out = []
    for senders in (1, 10):
        key = f"{senders}_senders"
        for metric in ("p50_ms", "p95_ms"):
            ratio = ours[key][metric] / base[key][metric]
            limit = TARGETS[f"{metric[:3]} ratio"]
            out.append(
                f"{'met ' if ratio <= limit else 'MISSED'} {metric[:3]} with {senders} sender(s): "
                f"{ratio:.2f}x the baseline (target {limit}x)"
            )
    out.append(
        f"{'met ' if ours['peak_rss_mb'] < TARGETS['rss_mb'] else 'MISSED'} peak RSS "
        f"{ours['peak_rss_mb']} MB (target under {TARGETS['rss_mb']} MB)"
    )
    out.append(
        f"{'met ' if ours['ready_s'] <= TARGETS['ready_s'] else 'MISSED'} ready in {ours['ready_s']} s "
        f"(target {TARGETS['ready_s']} s)"
    )
    errors = sum(r[f"{n}_senders"]["errors"] for r in (ours, base) for n in (1, 10))
    out.append(f"{'met ' if errors == 0 else 'MISSED'} {errors} failed requests")
    return out


def main(argv: List[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-train", action="store_true", help="skip the training-time measurement")
    parser.add_argument(
        "--rounds", type=int, default=8, help="batches with 1 sender (default 8); half as many with 10 senders"
    )
    parser.add_argument(
        "--in-memory",
        action="store_true",
        help="serve ours with Rasa's in-memory tracker store instead of SQLite (for comparison)",
    )
    parser.add_argument(
        "--no-patches-off",
        action="store_true",
        help="skip serving ours a second time with the patches off (BFS_PATCHES=off)",
    )
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="PATCH",
        help="also serve ours without this one patch (repeatable; the names are in patches/__init__.py)",
    )
    parser.add_argument("--out", default=str(ROOT / "results" / "bench.json"))
    args = parser.parse_args(argv)
    if not OUR_MODEL.exists():
        print("error: models/bfs-assistant.tar.gz is missing: run `make train`", file=sys.stderr)
        return 1
    work = ROOT / "var" / "bench"
    shutil.rmtree(work, ignore_errors=True)
    logs = work / "logs"
    logs.mkdir(parents=True)
    baseline_dir = work / "baseline"
    baseline_dir.mkdir()

    print("==> Creating the `rasa init` baseline bot (it trains once)", flush=True)
    started = time.monotonic()
    subprocess.run(
        [str(BIN / "rasa"), "init", "--no-prompt", "--init-dir", str(baseline_dir)],
        cwd=work,
        env=dict(os.environ, RASA_TELEMETRY_ENABLED="false"),
        check=True,
        stdout=(logs / "baseline-init.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    baseline_model = max((baseline_dir / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    base_train: Optional[float] = round(time.monotonic() - started, 1)
    our_train: Optional[float] = None
    if not args.no_train:
        base_train = train(
            [str(BIN / "rasa"), "train", "--out", str(work / "baseline-models")], baseline_dir, "the baseline"
        )
        our_train = train([str(BIN / "rasa"), "train", "--out", str(work / "our-models")], ROOT, "ours")

    servers: Dict[str, Server] = {}
    try:
        # One after the other, so that each loads its model on an idle machine.
        print("==> Starting our server (as `make run`: action server, SQLite tracker store)", flush=True)
        servers["ours"] = Server("ours", ROOT, OUR_MODEL, True, logs, in_memory=args.in_memory)
        print(f"    ready in {servers['ours'].ready_s:.1f} s", flush=True)
        if not args.no_patches_off:
            print("==> Starting ours again with the patches off (BFS_PATCHES=off)", flush=True)
            servers["patches off"] = Server(
                "patches-off", ROOT, OUR_MODEL, True, logs, in_memory=args.in_memory, patches="off"
            )
            print(f"    ready in {servers['patches off'].ready_s:.1f} s", flush=True)
        for patch in args.without:
            print(f"==> Starting ours again without the patch {patch}", flush=True)
            servers[f"-{patch}"] = Server(
                f"without-{patch}", ROOT, OUR_MODEL, True, logs, in_memory=args.in_memory, patches=f"without:{patch}"
            )
        print("==> Starting the baseline's server", flush=True)
        servers["baseline"] = Server("baseline", baseline_dir, baseline_model, False, logs)
        print(f"    ready in {servers['baseline'].ready_s:.1f} s", flush=True)
        results = measure_both(
            servers,
            {name: BASELINE_SCRIPT if name == "baseline" else OUR_SCRIPT for name in servers},
            {1: args.rounds, 10: max(1, args.rounds // 2)},
        )
    finally:
        for server in servers.values():
            server.stop()
    ours, base = results["ours"], results["baseline"]
    ours["train_s"], base["train_s"] = our_train, (base_train if not args.no_train else None)

    machine = (
        f"{platform.node()}: {os.cpu_count()} cores, "
        f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB, "
        f"Python {platform.python_version()}"
    )
    variants = {name: result for name, result in results.items() if name not in ("ours", "baseline")}
    print(f"\n{machine}\n\n{report(ours, base, variants)}\n")
    print("\n".join(targets(ours, base)))
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(
        json.dumps(
            {
                "machine": machine,
                "ours": ours,
                "baseline": base,
                "variants": variants,
                "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            },
            indent=2,
        )
    )
    print(f"\nWritten to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
