#!/usr/bin/env python3
"""`perigee sync` and `perigee serve --sync-from` against a hostile upstream: a small server in front of
a real `perigee serve` (the bundled captures, playing LL2 with `--no-change-feed`) that mangles what it
forwards, one way per run:

- mutate: extreme values in the JSON of every third answer (ids of 2^63-1, 2^53 and -1, durations of 10^14 days, years 0 and
  9999, Int64's ends for numbers, embedded lists nested 100 deep), a few fields a page, seeded;
- stall: the head, then nothing; drip: the body a byte every 0.3 s (both past `--timeout`);
- truncate: half the body, the connection closed; giant: 80 MiB of body (over the 64 MiB cap);
- bomb: a gzip body that inflates to 1 GiB; compressible: a real page padded with white space so
  it compresses over 50x (must be accepted: the bound is on size, not ratio);
- redirect: 302 to another host (never followed); foreign: `next` and `url`s naming another host.

Each run must end by itself within its bound, never by a signal or a trap, report what failed in
words that say what, and leave a store that `perigee serve` answers without a 5xx. Then
`serve --sync-from` the mutating upstream runs a pass, is still up, restarts, and is still up.

    scripts/hostile_upstream.py PERIGEE_BINARY
Last line: `hostile upstream: N passed, M failed`.
"""
import gzip
import http.client
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import processes
from processes import Tally

perigee = sys.argv[1]
work = tempfile.mkdtemp(prefix="perigee-hostile.")
tally = Tally("hostile upstream")
check = tally.check


def mutate(value, rng, key=None, depth=0):
    """`value` with some fields replaced by extremes (a seeded choice per field)."""
    if isinstance(value, dict):
        return {k: mutate(v, rng, k, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [mutate(v, rng, key, depth + 1) for v in value]
    if rng.random() > 0.03:
        return value
    if key == "id" and isinstance(value, int):
        return rng.choice([2**63 - 1, 2**53, -1])
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return rng.choice([2**63 - 1, -(2**63), 10**30])
    if isinstance(value, float):
        return rng.choice([1e308, -1e308])
    if isinstance(value, str):
        if value.startswith("P") and value[1:2].isdigit() or value.startswith("PT"):
            return rng.choice(["P99999999999999D", "PT9223372036854775807S", "-P99999999999999D"])
        if len(value) >= 19 and value[4] == "-" and value[10] == "T":
            return rng.choice(["0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"])
        if key in ("launch_crew", "onboard_crew", "landing_crew"):
            return deep(100)
        return rng.choice([value, "\u0000" + value, value * 50])
    return value


def deep(levels):
    value = []
    for _ in range(levels):
        value = [value]
    return value


class Hostile:
    """The hostile server: forwards to `upstream_port`, then mangles the answer as `mode` says."""

    def __init__(self, upstream_port, mode, seed=7):
        self.upstream_port, self.mode, self.rng = upstream_port, mode, random.Random(seed)
        self.requests = 0
        self.server = processes.http_server(self.handle, 0)
        self.port = self.server.server_address[1]

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def upstream(self, path):
        connection = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=30)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body

    def handle(self, handler):
        self.requests += 1
        path, mode = handler.path, self.mode
        if path.startswith("/2.3.0/api-throttle/"):
            mode = "none"
        if mode == "redirect":
            return self.send(handler, 302, b"", {"Location": "http://evil.example" + path})
        if mode == "stall":
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", "100000")
            handler.end_headers()
            handler.wfile.flush()
            time.sleep(20)
            handler.close_connection = True
            return
        if mode == "giant":
            handler.send_response(200)
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(80 << 20))
            handler.end_headers()
            chunk = b" " * (1 << 20)
            for _ in range(80):
                handler.wfile.write(chunk)
            return
        if mode == "bomb":
            # 1 GiB of spaces in about 1 MiB of gzip, built once.
            if not hasattr(self, "bomb"):
                self.bomb = gzip.compress(b" " * (1 << 30), compresslevel=9)
            return self.send(handler, 200, self.bomb, {"Content-Encoding": "gzip"})
        status, body = self.upstream(path)
        if mode == "mutate" and status == 200 and self.requests % 3 == 0:
            body = json.dumps(mutate(json.loads(body), self.rng)).encode()
        elif mode == "foreign" and status == 200:
            body = body.replace(b"http://127.0.0.1:%d" % self.upstream_port, b"http://evil.example")
        elif mode == "compressible" and status == 200:
            return self.send(handler, 200, gzip.compress(body + b" " * (len(body) * 60)), {"Content-Encoding": "gzip"})
        elif mode == "truncate" and status == 200:
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body[: len(body) // 2])
            handler.close_connection = True
            return
        elif mode == "drip" and status == 200:
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            for index in range(min(len(body), 60)):
                handler.wfile.write(body[index:index + 1])
                handler.wfile.flush()
                time.sleep(0.3)
            handler.close_connection = True
            return
        self.send(handler, status, body, {})

    @staticmethod
    def send(handler, status, body, headers):
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        for key, value in headers.items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)


def crashed(returncode):
    """A signal (negative) or a shell's 128+signal: a trap (SIGILL, SIGTRAP), an abort, a segfault."""
    return returncode < 0 or returncode >= 128


def store_answers(store):
    """`perigee serve` on `store` answers every list of the API root without a 5xx."""
    process, port, log = processes.serve(perigee, store, work, "--no-access-log")
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/2.3.0/")
        root = json.loads(connection.getresponse().read())
        bad = []
        for url in root.values():
            path = url.split("/2.3.0/", 1)[1]
            for query in ("", "?mode=detailed&limit=100", "?format=api"):
                connection.request("GET", "/2.3.0/" + path + query)
                response = connection.getresponse()
                response.read()
                if response.status >= 500:
                    bad.append(f"{path}{query}: {response.status}")
        return bad
    finally:
        process.terminate()
        process.wait(timeout=60)


upstream_store = os.path.join(work, "upstream.sqlite")
upstream, upstream_port, _ = processes.serve(perigee, upstream_store, work, "--no-access-log", "--no-change-feed")

# What each mode must say (in the sync's summary) when it fails, and whether it must fail.
MODES = {
    "mutate": ("not importable", True),
    "stall": ("no whole answer within", True),
    "drip": ("no whole answer within", True),
    "truncate": (None, True),
    "giant": ("a body over 64 MiB", True),
    "bomb": ("decompressed body over 64 MiB", True),
    "compressible": (None, False),
    "redirect": ("HTTP 302", True),
    "foreign": (None, False),
}
for mode, (words, fails) in MODES.items():
    hostile = Hostile(upstream_port, mode)
    store = os.path.join(work, f"{mode}.sqlite")
    started = time.monotonic()
    try:
        result = subprocess.run(
            [perigee, "sync", "--from", f"http://127.0.0.1:{hostile.port}", "--database", store, "--endpoints", "spacecraft",
             "--timeout", "3", "--attempts", "2", "--retry-wait", "0.1"],
            capture_output=True, text=True, timeout=240)
        took = time.monotonic() - started
        output = (result.stdout + result.stderr).strip()
        summary = output.splitlines()[-1] if output else ""
        print(f"       {mode}: exit {result.returncode} in {took:.0f} s, {hostile.requests} requests: {summary[:300]}")
        check(not crashed(result.returncode) and "Fatal error" not in output, f"{mode}: the sync ends without a crash")
        if fails is True:
            check(result.returncode != 0, f"{mode}: the pass is reported failed")
        if fails is False:
            check(result.returncode == 0, f"{mode}: the pass succeeds ({summary[:200]})")
        if words:
            check(words in output, f"{mode}: the failure says \"{words}\"")
        if mode == "foreign":
            check("evil.example" not in output, "foreign: no request left for another host")
    except subprocess.TimeoutExpired:
        check(False, f"{mode}: the sync ended by itself within 240 s")
    hostile.close()
    if os.path.exists(store):
        bad = store_answers(store)
        check(not bad, f"{mode}: the store answers every list without a 5xx {bad[:5]}")

# `serve --sync-from` a mutating upstream: a pass runs, the server stays up, restarts, stays up.
hostile = Hostile(upstream_port, "mutate", seed=11)
store = os.path.join(work, "served.sqlite")
for attempt in ("first start", "restart"):
    process, port, log = processes.serve(
        perigee, store, work, "--no-access-log", "--sync-from", f"http://127.0.0.1:{hostile.port}", "--sync-every", "10s")
    deadline = time.monotonic() + 60
    state = None
    while time.monotonic() < deadline and process.poll() is None:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/status")
            last = json.loads(connection.getresponse().read())["sync"]["last"]
            if last:
                state = last["state"]
                break
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    alive = process.poll() is None
    check(alive and state is not None, f"serve --sync-from a mutating upstream ({attempt}): a pass ended ({state}), the server is up")
    if not (alive and state is not None):
        print(open(log).read()[-3000:])
    process.terminate()
    process.wait(timeout=60)
hostile.close()
upstream.terminate()
upstream.wait(timeout=60)
shutil.rmtree(work, ignore_errors=True)
tally.finish()
