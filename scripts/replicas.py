#!/usr/bin/env python3
"""Two real `perigee serve` replicas on one PostgreSQL database: keys and throttling hold across them.

1. Keys: a key made by `perigee keys create` works at both replicas; after `perigee keys revoke` the
   very next request with it is 401 at both; `keys list` never prints a key, and shows the last use
   of a key once the replicas have stopped (they write it down at shutdown).
2. The shared limit: with `--anonymous-rate 10/minute`, one client alternating between the replicas
   (one request a second) is admitted no more than the documented bound, limit + what the other
   replica admitted within the exchange's lag (2 intervals + slack = 2.5 s: 2 requests), so at most
   12 of 20; and never refused before the limit. Without the exchange it would be 20.
3. A replica that restarts takes in the uses already counted (it reads them from the store).
4. Store changes: both replicas read the store's version from memory, kept by LISTEN/NOTIFY (`/status`
   says `version_from: notifications`); 200 cached requests at each ask PostgreSQL for it 0 times
   (`version_queries`); each of 10 renames by `perigee import` shows on the very next request at both.
   With both listening connections killed (`pg_terminate_backend`), renames still show at once (the
   replicas ask the store meanwhile); both listen again by themselves, and renames show at once again.

    scripts/replicas.py PERIGEE_BINARY POSTGRES_URL
Last line: `replicas: N passed, M failed`. Takes about 50 s.
"""
import http.client
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

import processes
from processes import Tally

perigee, base_url = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix="perigee-replicas.")
LIMIT, SPACING, REQUESTS, EXCHANGE_LAG = 10, 1.0, 20, 2.5
HITS, ROUNDS = 200, 10
tally = Tally("replicas")
check = tally.check


def psql(url, sql):
    subprocess.run(["psql", "-q", "-d", url, "-c", sql], check=True)


def cli(*arguments):
    return subprocess.run([perigee, *arguments, "--database", database_url], capture_output=True, text=True, timeout=60)


def serve(*extra):
    process, port, _ = processes.serve(perigee, database_url, work, "--no-access-log", *extra)
    return process, port


def stop(process):
    process.terminate()
    return process.wait(timeout=60)


def get(port, path, key=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Authorization": f"Token {key}"} if key else {})
    response = connection.getresponse()
    body = response.read()
    return response.status, body


def store_status(port):
    return json.loads(get(port, "/status")[1])


def wait_for_notifications(port, seconds=15):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if store_status(port)["version_from"] == "notifications":
            return True
        time.sleep(0.1)
    return False


def rename_rounds(craft, rounds, label):
    """Renames `craft` `rounds` times with `perigee import` and reads it back at both replicas at once;
    the (round, replica) pairs that still showed an older name."""
    stale = []
    for round_ in range(rounds):
        renamed = dict(craft, name=f"{craft['name']}{label} #{round_}")
        path = os.path.join(work, "renamed.json")
        with open(path, "w") as file:
            json.dump(renamed, file)
        if cli("import", path).returncode != 0:
            stale.append((round_, "import failed"))
            continue
        for replica, port in (("A", port_a), ("B", port_b)):
            shown = json.loads(get(port, f"/2.3.0/spacecraft/{craft['id']}/")[1])["name"]
            if shown != renamed["name"]:
                stale.append((round_, replica))
    return stale


name = f"perigee_replicas_{os.getpid()}"
parts = urllib.parse.urlsplit(base_url)
database_url = urllib.parse.urlunsplit(parts._replace(path="/" + name))
psql(base_url, f"CREATE DATABASE {name}")
try:
    made = cli("import", "Sources/PerigeeStore/BundledData")
    check(made.returncode == 0, "the bundled data imported into PostgreSQL")
    a, port_a = serve("--anonymous-rate", f"{LIMIT}/minute")
    b, port_b = serve("--anonymous-rate", f"{LIMIT}/minute")

    # 1. Keys across replicas.
    created = cli("keys", "create", "--name", "shared", "--rate", "1000/hour")
    key = created.stdout.strip()
    check(created.returncode == 0 and len(key) == 40, "keys create prints a 40-character key")
    kept = cli("keys", "create", "--name", "kept", "--rate", "none").stdout.strip()
    check(all(get(port, "/2.3.0/spacecraft/?limit=1", key)[0] == 200 for port in (port_a, port_b)), "the key works at both replicas")
    check(get(port_a, "/2.3.0/", kept)[0] == 200, "a second key works")
    listing = cli("keys", "list")
    check(listing.returncode == 0 and "shared" in listing.stdout and key not in listing.stdout and kept not in listing.stdout,
          "keys list names the keys and prints neither key")
    revoked = cli("keys", "revoke", "shared")
    check(revoked.returncode == 0, "keys revoke succeeds")
    for label, port in (("B", port_b), ("A", port_a)):
        status, body = get(port, "/2.3.0/spacecraft/?limit=1", key)
        check(status == 401 and json.loads(body) == {"detail": "Invalid token."}, f"the revoked key is 401 on the next request at replica {label}")

    # 2. One client alternating between the replicas, one request a second.
    admitted, first_refusal = 0, None
    for index in range(REQUESTS):
        status, _ = get(port_a if index % 2 == 0 else port_b, "/2.3.0/spacecraft/?limit=1")
        if status == 200:
            admitted += 1
        elif status == 429 and first_refusal is None:
            first_refusal = index
        time.sleep(SPACING)
    bound = LIMIT + math.ceil(EXCHANGE_LAG / (2 * SPACING))
    print(f"       admitted {admitted} of {REQUESTS} (limit {LIMIT}, bound {bound}); first refusal at request {first_refusal}")
    check(LIMIT <= admitted <= bound, f"the replicas together admitted {admitted}, within [{LIMIT}, {bound}]")
    check(first_refusal is not None and first_refusal >= LIMIT, "no request was refused before the limit")
    time.sleep(EXCHANGE_LAG)
    reports = [json.loads(get(port, "/2.3.0/api-throttle/")[1]) for port in (port_a, port_b)]
    check(all(report["current_use"] == admitted for report in reports),
          f"each replica counts the uses admitted at both: {[r['current_use'] for r in reports]}")

    # 3. A restarted replica knows what was used.
    stop(a)
    a, port_a = serve("--anonymous-rate", f"{LIMIT}/minute")
    time.sleep(2)
    report = json.loads(get(port_a, "/2.3.0/api-throttle/")[1])
    check(report["current_use"] >= LIMIT and get(port_a, "/2.3.0/")[0] == 429,
          f"a restarted replica takes in the counted uses (current_use {report['current_use']})")
    codes = (stop(a), stop(b))
    check(codes == (0, 0), f"both replicas stop cleanly on SIGTERM {codes}")
    listing = cli("keys", "list").stdout.splitlines()
    kept_line = next((line for line in listing if line.startswith("kept\t")), "")
    check(kept_line and not kept_line.endswith("never"), f"keys list shows the kept key's last use: {kept_line!r}")

    # 4. Store changes by LISTEN/NOTIFY.
    a, port_a = serve()
    b, port_b = serve()
    check(all(wait_for_notifications(port) for port in (port_a, port_b)), "both replicas read the store's version from memory (notifications)")
    page = "/2.3.0/spacecraft/?limit=5"
    for port in (port_a, port_b):
        get(port, page)
    before = [store_status(port)["version_queries"] for port in (port_a, port_b)]
    hits = sum(get(port, page)[0] == 200 for _ in range(HITS) for port in (port_a, port_b))
    after = [store_status(port)["version_queries"] for port in (port_a, port_b)]
    asked = [later - earlier for earlier, later in zip(before, after)]
    print(f"       {hits} cached requests; the replicas asked PostgreSQL for the version {asked} times")
    check(hits == 2 * HITS and asked == [0, 0], "a cache hit costs no database round trip at either replica")
    craft = json.loads(get(port_a, "/2.3.0/spacecraft/?limit=1&mode=detailed")[1])["results"][0]
    stale = rename_rounds(craft, ROUNDS, "")
    check(not stale, f"each of {ROUNDS} renames by `perigee import` shows on the very next request at both replicas {stale}")
    killed = subprocess.run(["psql", "-At", "-d", database_url, "-c",
                             "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                             f"WHERE application_name = 'perigee-changes' AND datname = '{name}'"],
                            capture_output=True, text=True, check=True).stdout.strip()
    stale = rename_rounds(craft, 3, " (listener killed)")
    check(killed == "2" and not stale, f"with both listening connections killed ({killed}), renames still show at once: the replicas ask {stale}")
    check(all(wait_for_notifications(port) for port in (port_a, port_b)), "both replicas listen again by themselves")
    stale = rename_rounds(craft, 3, " (listening again)")
    check(not stale, f"and renames show at once again {stale}")
    codes = (stop(a), stop(b))
    check(codes == (0, 0), f"both replicas stop cleanly on SIGTERM {codes}")
finally:
    psql(base_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    shutil.rmtree(work, True)
tally.finish()
