#!/usr/bin/env python3
"""Faults a real `perigee` must survive, each against real processes:

1. `kill -9` of `perigee import` at staggered moments (SQLite): the store is intact after each kill
   and holds exactly the files imported before it (whole files only, never part of one); importing
   again completes it, logically identical to a clean import.
2. PostgreSQL restarted under load (`--pg-url` and `--pg-restart`): every request is answered, 200
   or (while the database is down) 503 with Retry-After, never a reset or a hang; requests succeed
   again within 5 s of the database's return, without restarting Perigee.
3. SIGTERM under load: no request the server accepted is cut; the server exits 0 and says so.

    scripts/faults.py PERIGEE_BINARY BUNDLED_DATA_DIR [--pg-url URL --pg-restart 'COMMAND']
Last line: `faults: N passed, M failed`.
"""
import argparse
import collections
import http.client
import os
import shlex
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

import processes
from processes import Tally

parser = argparse.ArgumentParser()
parser.add_argument("perigee")
parser.add_argument("bundled")
parser.add_argument("--pg-url")
parser.add_argument("--pg-restart")
args = parser.parse_args()
work = tempfile.mkdtemp(prefix="perigee-faults.")
import atexit
import shutil
if not os.environ.get("PERIGEE_FAULTS_KEEP"):
    atexit.register(shutil.rmtree, work, True)
tally = Tally("faults")
check = tally.check


def serve(database, *extra):
    return processes.serve(args.perigee, database, work, *extra)


def dump(path):
    """The store's records, table by table. Left out: the search index (derived, rebuilt with each
    import) and the columns that hold the import's own instant (`figures_imported_at`, the
    `derived__` figures computed from it for objects whose flights are not all known, and
    `perigee_changed_at`, when each object was last written)."""
    connection = sqlite3.connect(path)
    out = {}
    tables = [row[0] for row in connection.execute("select name from sqlite_master where type='table'")]
    for table in tables:
        if table.startswith(("sqlite_", "search__", "perigee_")):
            continue
        cursor = connection.execute(f'select * from "{table}"')
        keep = [i for i, d in enumerate(cursor.description)
                if d[0] not in ("figures_imported_at", "perigee_changed_at") and not d[0].startswith("derived__")]
        out[table] = sorted(repr(tuple(row[i] for i in keep)) for row in cursor)
    connection.close()
    return out


def integrity(path):
    connection = sqlite3.connect(path)
    result = connection.execute("pragma integrity_check").fetchone()[0]
    connection.close()
    return result


# 1. kill -9 of an import.
files = sorted(os.path.join(args.bundled, name) for name in os.listdir(args.bundled))
prefixes = []
for count in range(len(files) + 1):
    path = os.path.join(work, f"prefix-{count}.sqlite")
    subprocess.run([args.perigee, "migrate", "--database", path], check=True, capture_output=True)
    if count:
        subprocess.run([args.perigee, "import", "--database", path, *files[:count]], check=True, capture_output=True)
    prefixes.append(dump(path))
started = time.monotonic()
subprocess.run([args.perigee, "import", "--database", os.path.join(work, "timing.sqlite"), *files], check=True, capture_output=True)
full_import = time.monotonic() - started
kills = 6
seen = set()
for index in range(kills):
    path = os.path.join(work, f"killed-{index}.sqlite")
    subprocess.run([args.perigee, "migrate", "--database", path], check=True, capture_output=True)
    process = subprocess.Popen([args.perigee, "import", "--database", path, *files], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(full_import * (index + 0.5) / kills)
    process.send_signal(signal.SIGKILL)
    process.wait()
    state = dump(path)
    matches = [count for count, prefix in enumerate(prefixes) if prefix == state]
    seen.update(matches)
    check(integrity(path) == "ok" and bool(matches),
          f"kill -9 at {full_import * (index + 0.5) / kills:.2f} s: intact, holds the first {matches[0] if matches else '?'} of {len(files)} files whole")
    subprocess.run([args.perigee, "import", "--database", path, *files], check=True, capture_output=True)
    check(dump(path) == prefixes[-1], "importing again afterwards gives the same store as a clean import")
print(f"(kills landed after {sorted(seen)} whole files; a full import takes {full_import:.2f} s)")


class Load:
    """Threads sending requests, each on a new connection, recording (time, outcome) until stopped."""

    def __init__(self, port, paths, threads=4):
        self.port, self.paths, self.events, self.stop = port, paths, [], threading.Event()
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.run, args=(i,)) for i in range(threads)]
        for thread in self.threads:
            thread.start()

    def run(self, index):
        count = index
        while not self.stop.is_set():
            path = self.paths[count % len(self.paths)]
            count += len(self.threads)
            outcome = None
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
                connection.connect()
            except ConnectionRefusedError:
                outcome = "refused"
            if outcome is None:
                try:
                    connection.request("GET", path, headers={"Connection": "close"})
                    response = connection.getresponse()
                    body = response.read()
                    outcome = response.status
                    if response.status == 503 and response.getheader("Retry-After") is None:
                        outcome = "503 without Retry-After"
                    if response.status == 200 and len(body) == 0:
                        outcome = "empty 200"
                except Exception as error:
                    outcome = type(error).__name__
                connection.close()
            with self.lock:
                self.events.append((time.monotonic(), outcome))
                if outcome not in (200, 503, "refused"):
                    print(f"  {outcome} on {path}", flush=True)
            if outcome == "refused":
                time.sleep(0.05)

    def finish(self):
        """Stops the threads; returns the events and how many of each outcome."""
        self.stop.set()
        for thread in self.threads:
            thread.join()
        return self.events, collections.Counter(outcome for _, outcome in self.events)


paths = [f"/2.3.0/spacecraft/?limit={1 + i % 50}&offset={i % 31}" + ("&mode=detailed" if i % 2 else "") for i in range(200)]
paths += ["/2.3.0/spacecraft_flights/?mode=detailed", "/2.3.0/docking_events/?search=soyuz", "/2.3.0/spacecraft/602/"]

# 2. PostgreSQL restarted under load.
if args.pg_url and args.pg_restart:
    import urllib.parse
    name = f"perigee_faults_{os.getpid()}"
    subprocess.run(["psql", "-q", "-d", args.pg_url, "-c", f"CREATE DATABASE {name}"], check=True)
    split = urllib.parse.urlsplit(args.pg_url)
    database = urllib.parse.urlunsplit(split._replace(path="/" + name))
    subprocess.run([args.perigee, "import", "--database", database, args.bundled], check=True, capture_output=True)
    # A short statement timeout: its watchdog then closes a connection whose answer never comes within 7 s.
    process, port, log = serve(database, "--statement-timeout", "2")
    load = Load(port, paths)
    time.sleep(3)
    subprocess.run(shlex.split(args.pg_restart), check=True, capture_output=True)
    back = time.monotonic()
    time.sleep(8)
    events, outcomes = load.finish()
    print(f"PostgreSQL restart under load: {len(events)} requests: {dict(outcomes)}")
    check(set(outcomes) <= {200, 503}, "every request answered 200 or 503 (no reset, no hang, no 500)")
    check(outcomes.get(200, 0) > 0, "requests were served")
    first_success = min((t for t, outcome in events if t >= back and outcome == 200), default=None)
    recovery = None if first_success is None else first_success - back
    failures_after = [o for t, o in events if recovery is not None and t > back + recovery and o != 200]
    print(f"first success {recovery if recovery is None else round(recovery, 2)} s after the database returned; "
          f"{len(failures_after)} non-200 after that")
    check(recovery is not None and recovery <= 5, "requests succeed again within 5 s of the database's return")
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=60)
    text = open(log).read()
    check("store unavailable" in text or outcomes.get(503, 0) == 0, "503s during the outage are logged with their cause")
    slow = [line for line in text.splitlines() if "ms " in line and float(line.split("ms ")[0].split()[-1]) > 5000]
    if slow:
        print("requests over 5 s:", *slow[:5], sep="\n  ")
    subprocess.run(["psql", "-q", "-d", args.pg_url, "-c", f"DROP DATABASE {name}"], check=False)
else:
    print("(no --pg-url/--pg-restart: PostgreSQL restart skipped)")

# 3. SIGTERM under load.
store = os.path.join(work, "sigterm.sqlite")
subprocess.run([args.perigee, "import", "--database", store, args.bundled], check=True, capture_output=True)
process, port, log = serve(store)
load = Load(port, paths, threads=6)
time.sleep(2)
process.send_signal(signal.SIGTERM)
code = process.wait(timeout=60)
time.sleep(0.5)
events, outcomes = load.finish()
print(f"SIGTERM under load: {len(events)} requests: {dict(outcomes)}; exit status {code}")
check(code == 0, "exits 0 on SIGTERM")
# A connection still in the listener's backlog when it closes is reset by the kernel before the
# server ever saw it: the client sees a reset, but no request was cut. The access log tells them
# apart: every request the server handled was logged, and each of those must have reached its client.
handled = sum(1 for line in open(log) if " GET /2.3.0/" in line and " 200 " in line)
print(f"handled by the server (access log): {handled}; 200s received by clients: {outcomes.get(200, 0)}")
check(handled == outcomes.get(200, 0), "no request the server accepted is cut: every one it handled reached its client")
check(set(outcomes) <= {200, "refused", "ConnectionResetError"}, "nothing else went wrong (no 5xx, no timeout)")
check("stopping" in open(log).read(), "the log says it is stopping")
tally.finish()
