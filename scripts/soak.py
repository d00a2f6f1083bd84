#!/usr/bin/env python3
"""Two replicas on one PostgreSQL under a read load while a curator writes through both, then a mirror:

- a curator creates crafts and renames them, each write through one replica and read back at once
  through the other with `Perigee-Min-Version` (the version the write answered): a read that shows the
  previous name is a stale read, and there must be none;
- the same read without the header measures how long the other replica can serve the previous
  version (it polls until it shows the write): p50, p99 and max are printed, for BENCHMARKS.md;
- finally `perigee sync --from` one replica into an empty store: every craft the curator made must be
  there with its last name (a lost write otherwise), and there must be none.
Bounded by SECONDS (default 30).

    scripts/soak.py PERIGEE_BINARY POSTGRES_URL [SECONDS]
Last line: `soak: N passed, M failed`.
"""
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

import processes
from processes import Tally

perigee, postgres_url = sys.argv[1], sys.argv[2]
seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 30
work = tempfile.mkdtemp(prefix="perigee-soak.")
tally = Tally("soak")
name = f"perigee_soak_{os.getpid()}"
subprocess.run(["psql", "-q", "-d", postgres_url, "-c", f"CREATE DATABASE {name}"], check=True)
store = urllib.parse.urlunsplit(urllib.parse.urlsplit(postgres_url)._replace(path="/" + name))
subprocess.run([perigee, "import", "--database", store, "Sources/PerigeeStore/BundledData"], check=True, capture_output=True)
key = subprocess.run([perigee, "keys", "create", "--name", "soak", "--scope", "write", "--rate", "none", "--database", store],
                     check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
replicas = [processes.serve(perigee, store, work, "--no-access-log") for _ in range(2)]
ports = [port for _, port, _ in replicas]


def call(port, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    connection.request(method, path, body=json.dumps(body).encode() if body is not None else None, headers=all_headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), json.loads(data) if data else None


stop = threading.Event()
reads = [0]


def read_load():
    connection = http.client.HTTPConnection("127.0.0.1", ports[0], timeout=30)
    while not stop.is_set():
        connection.request("GET", "/2.3.0/spacecraft/?limit=20&mode=detailed")
        connection.getresponse().read()
        reads[0] += 1


loaders = [threading.Thread(target=read_load, daemon=True) for _ in range(2)]
for loader in loaders:
    loader.start()

auth = {"Authorization": f"Token {key}"}
status, _, craft = call(ports[0], "GET", "/2.3.0/spacecraft/602/")
base = {"status": craft["status"]["id"], "spacecraft_config": craft["spacecraft_config"]["id"]}
names = {}
writes = stale = errors = 0
lags = []
deadline = time.monotonic() + seconds
index = 0
while time.monotonic() < deadline:
    writer, reader = ports[index % 2], ports[(index + 1) % 2]
    if index % 3 == 0 or not names:
        status, headers, answer = call(writer, "POST", "/2.3.0/spacecraft/", {**base, "name": f"Soak {index}"}, auth)
        if status != 201:
            errors += 1
            index += 1
            continue
        craft_id = answer["id"]
    else:
        craft_id = sorted(names)[index % len(names)]
        status, headers, answer = call(writer, "PATCH", f"/2.3.0/spacecraft/{craft_id}/", {"name": f"Soak {index}"}, auth)
        if status != 200:
            errors += 1
            index += 1
            continue
    writes += 1
    names[craft_id] = f"Soak {index}"
    version = headers.get("Perigee-Version")
    _, _, seen = call(reader, "GET", f"/2.3.0/spacecraft/{craft_id}/", headers={"Perigee-Min-Version": version or "0"})
    if not seen or seen.get("name") != names[craft_id]:
        stale += 1
    if index % 5 == 0:
        # Without the header: how long until the other replica shows the write (the previous
        # version is served until then).
        written = time.monotonic()
        while time.monotonic() - written < 5:
            _, _, plain = call(reader, "GET", f"/2.3.0/spacecraft/{craft_id}/")
            if plain and plain.get("name") == names[craft_id]:
                break
        lags.append(time.monotonic() - written)
    index += 1
stop.set()
for loader in loaders:
    loader.join(timeout=10)

lags.sort()
if lags:
    print(f"       replica lag without Perigee-Min-Version over {len(lags)} writes: p50 {lags[len(lags) // 2] * 1000:.1f} ms, "
          f"p99 {lags[min(len(lags) - 1, int(len(lags) * 0.99))] * 1000:.1f} ms, max {lags[-1] * 1000:.1f} ms")
print(f"       {writes} writes through both replicas, {reads[0]} reads of load, {errors} refused writes")
tally.check(writes > 20 and errors == 0, f"the curator's writes land ({writes} writes, {errors} refused)")
tally.check(stale == 0, f"no stale read with Perigee-Min-Version ({stale} stale of {writes})")

mirror = os.path.join(work, "mirror.sqlite")
result = subprocess.run([perigee, "sync", "--from", f"http://127.0.0.1:{ports[0]}", "--database", mirror, "--endpoints", "spacecraft"],
                        capture_output=True, text=True, timeout=600)
tally.check(result.returncode == 0, f"the mirror's pass succeeds: {(result.stdout + result.stderr).strip().splitlines()[-1:]}")
mirror_server, mirror_port, _ = processes.serve(perigee, mirror, work, "--no-access-log")
lost = [craft_id for craft_id, last in names.items()
        if (call(mirror_port, "GET", f"/2.3.0/spacecraft/{craft_id}/")[2] or {}).get("name") != last]
tally.check(not lost, f"no lost write in the mirror ({len(lost)} of {len(names)} crafts missing or stale)")
mirror_server.terminate()
mirror_server.wait(timeout=60)
for process, _, _ in replicas:
    process.terminate()
    process.wait(timeout=60)
subprocess.run(["psql", "-q", "-d", postgres_url, "-c", f"DROP DATABASE {name}"])
shutil.rmtree(work, ignore_errors=True)
tally.finish()
