"""The load drill through scripts/cluster: N connections of /api/v1/match through nginx to two
app servers, one app server killed (SIGKILL, master and workers) 3 s into an 8 s run.

    bash scripts/cluster start /tmp/cluster 8080
    .venv/bin/python bench/bench_cluster.py http://127.0.0.1:8080 /tmp/cluster/app1.pid 64
    bash scripts/cluster stop /tmp/cluster

Prints requests answered 200 and failed (any other answer or a dropped connection).
"""

import os
import signal
import sys
import threading
import time
import urllib.request
from pathlib import Path


def children(pid: int) -> list[int]:
    found = []
    for name in os.listdir("/proc"):
        try:
            if name.isdigit() and Path(f"/proc/{name}/stat").read_text().split()[3] == str(pid):
                found.append(int(name))
        except OSError:
            pass
    return found


def main(base: str, pidfile: str, connections: int) -> None:
    counts, lock, stop = {"ok": 0, "failed": 0}, threading.Lock(), time.time() + 8
    url = base + "/api/v1/match?location=Denver%2C+CO"

    def load():
        while time.time() < stop:
            try:
                ok = urllib.request.urlopen(url, timeout=15).status == 200
            except Exception:
                ok = False
            with lock:
                counts["ok" if ok else "failed"] += 1

    threads = [threading.Thread(target=load) for _ in range(connections)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    master = int(Path(pidfile).read_text())
    for pid in [master, *children(master)]:
        os.kill(pid, signal.SIGKILL)
    for thread in threads:
        thread.join()
    print(f"{connections} connections, one of two app servers killed at 3 s of 8 s: {counts}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
