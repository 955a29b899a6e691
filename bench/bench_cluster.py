"""The load drill: wrk through nginx to two app servers on the real national directory, at 8
and 64 connections, one app server killed (SIGKILL, master and workers) 3 s into each 8 s run.

    .venv/bin/python -m bench.bench_cluster            # starts and stops its own cluster
    .venv/bin/python -m bench.bench_cluster --empty    # the same on an empty directory

It starts ``scripts/cluster`` in a temporary folder, imports the bundled 2022 directories
(19,131 listings) into its PostgreSQL, and for each connection count prints wrk's figures
(requests, rate, latency) and every failure: a status other than 200, a socket error, and a
response cut short (fewer bytes than its Content-Length: wrk's read errors). The killed server
is started again between runs. Needs ``wrk`` (Debian's package).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATH = "/api/v1/match?location=Denver%2C+CO&radius=25"
RUN_SECONDS, KILL_AFTER = 8, 3


def children(pid: int) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        try:
            if name.isdigit() and Path(f"/proc/{name}/stat").read_text().split()[3] == str(pid):
                found.append(int(name))
        except OSError:
            pass
    return found


def cluster(action: str, folder: Path, port: int) -> None:
    command = ["bash", str(ROOT / "scripts/cluster"), action, str(folder), str(port)]
    subprocess.run(command, check=True, capture_output=action == "start")


def import_directory(folder: Path, port: int) -> None:
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgresql://postgres@127.0.0.1:{port + 3}/directory",
    }
    flask = [sys.executable, "-m", "flask", "--app", "directory", "import-samhsa", "--bundled"]
    subprocess.run(flask, check=True, env=environment, cwd=ROOT, capture_output=True)


def drill(folder: Path, port: int, connections: int) -> dict:
    """One wrk run of RUN_SECONDS with app server 1 killed after KILL_AFTER."""
    wrk = subprocess.Popen(
        ["wrk", "-t", "2", "-c", str(connections), "-d", f"{RUN_SECONDS}s", "--latency",
         f"http://127.0.0.1:{port}{PATH}"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    time.sleep(KILL_AFTER)
    master = int((folder / "app1.pid").read_text())
    for pid in [master, *children(master)]:
        os.kill(pid, signal.SIGKILL)
    out, _ = wrk.communicate()
    figures = {"connections": connections, "output": out}
    figures["requests"] = int(re.search(r"(\d+) requests in", out).group(1))
    figures["rate"] = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    figures["p50"] = re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)
    figures["p99"] = re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    kinds = ("connect", "read", "write", "timeout")
    counts = map(int, errors.groups()) if errors else (0,) * 4
    figures["socket_errors"] = dict(zip(kinds, counts, strict=True))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["non_2xx"] = int(non_2xx.group(1)) if non_2xx else 0
    return figures


def response_size(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{PATH}", timeout=30) as response:
        return len(response.read())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--empty", action="store_true", help="skip the import")
    parser.add_argument("--port", type=int, default=18080)
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("bench_cluster needs wrk: apt-get install -y wrk")
    folder = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
    port = options.port
    try:
        cluster("start", folder, port)
        if not options.empty:
            started = time.monotonic()
            import_directory(folder, port)
            print(f"imported the bundled directory in {time.monotonic() - started:.0f} s")
            cluster("stop", folder, port)  # app servers warm with every listing on start
            cluster("start", folder, port)
        print(f"{PATH}: {response_size(port)} bytes per answer")
        for connections in (8, 64):
            figures = drill(folder, port, connections)
            failed = figures["non_2xx"] + sum(figures["socket_errors"].values())
            print(
                f"{connections:>3} connections: {figures['requests']} requests, "
                f"{figures['rate']:.0f}/s, p50 {figures['p50']}, p99 {figures['p99']}, "
                f"non-2xx {figures['non_2xx']}, socket errors {figures['socket_errors']}, "
                f"failed {failed}"
            )
            cluster("start", folder, port)  # brings the killed server back
    finally:
        cluster("stop", folder, port)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
