"""gunicorn for the load benchmark: the project's own gunicorn.conf.py on a free port of
127.0.0.1, ready once /readyz answers, stopped (and only it) when done."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

PROJECT_DIR = Path(__file__).resolve().parent.parent
GUNICORN_CONF = PROJECT_DIR / "gunicorn.conf.py"
READY_SECONDS = 90


@dataclass(frozen=True)
class Server:
    url: str
    log: Path
    pid: int  # gunicorn's master

    def cpu_seconds(self) -> dict[int, float]:
        """CPU used so far by gunicorn, per process: the master and its live workers.
        Requests per CPU-second is steadier than requests per second on a shared machine,
        where other work takes cores from both runs unevenly. (A reaped worker's CPU is
        not taken from the master's cutime: that would add its whole lifetime at once.)"""
        used = {self.pid: _cpu(self.pid)}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if int(fields[1]) == self.pid:  # ppid
                used[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / _TICKS
        return used

    def worker_boots(self) -> int:
        """Workers started so far (max_requests recycles them during a long run)."""
        return self.log.read_text(errors="replace").count("Booting worker with pid")


_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu(pid: int) -> float:
    """utime + stime of ``pid`` in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def cpu_between(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU-seconds used between two ``Server.cpu_seconds`` readings: each process's
    growth; a worker born meanwhile counts from zero, one that died counts nothing after
    the first reading (its last moments are lost, a small undercount)."""
    return sum(after[pid] - before.get(pid, 0.0) for pid in after)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def served(app_spec: str, env: Mapping[str, str], workdir: Path, name: str) -> Iterator[Server]:
    """Run ``app_spec`` under gunicorn with ``env`` added to ours; its log goes to a file
    (a pipe nobody reads would stall the workers)."""
    port = free_port()
    log = workdir / f"{name}-gunicorn.log"
    environment = {**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{port}"}
    command = [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), app_spec]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=PROJECT_DIR, env=environment, stdout=out, stderr=subprocess.STDOUT
        )
    server = Server(f"http://127.0.0.1:{port}", log, process.pid)
    try:
        _wait_ready(server, process)
        yield server
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=35)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(server: Server, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = server.log.read_text(errors="replace")[-3000:]
            raise RuntimeError(f"gunicorn exited with {process.returncode}:\n{tail}")
        try:
            if httpx.get(f"{server.url}/readyz", timeout=10).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.url}/readyz did not answer 200 within {READY_SECONDS} s")
