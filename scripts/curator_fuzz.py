#!/usr/bin/env python3
"""A hostile curator: a write key creates and edits spacecraft, flights and docking events with values
from the extremes of every writable field that Perigee's own OpenAPI document lists (years 1, 0 and
9999, offsets that cross them, ids at and past 2^53 and Int64's ends, huge and negative numbers,
wrong types, strings with NUL, lone surrogates and 60,000 characters, crews nested 31, 33 and 500
deep or 1,001 long, dockings spanning 0001-9999), then crawls every list of the API root in every mode
and format, orderings by the derived figures, every curated object, its history and the change feed;
restarts the server and crawls again. No answer may be a 5xx or a dropped connection, and the server
must still be running. Bounded: a few hundred writes and a few thousand reads.

    scripts/curator_fuzz.py PERIGEE_BINARY [DATABASE_URL]    (default: a new SQLite file with the bundled data)
Last line: `curator fuzz: N passed, M failed`.
"""
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import processes
from processes import Tally

perigee = sys.argv[1]
work = tempfile.mkdtemp(prefix="perigee-curator-fuzz.")
store = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else os.path.join(work, "fuzz.sqlite")
tally = Tally("curator fuzz")
started = time.monotonic()
problems = []


def deep(levels):
    value = []
    for _ in range(levels):
        value = [value]
    return value


def request(port, method, path, body=None, key=None, raw=None):
    """(status, parsed JSON or None); status 0 for a dropped connection."""
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = f"Token {key}"
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        text = response.read()
        connection.close()
    except OSError as error:
        problems.append(f"{method} {path}: connection failed ({error})")
        return 0, None
    if response.status >= 500:
        problems.append(f"{method} {path} {(raw or data or b'')[:120]!r}: {response.status} {text[:200]!r}")
    try:
        return response.status, json.loads(text) if text else None
    except ValueError:
        return response.status, None


REFERENCES = [0, -1, 2**53 - 1, 2**53, 2**63 - 1, -(2**63), 10**30, {"id": 2**63 - 1}, 1.5, "1", [], None]
EXTREMES = {
    "string": ["", "\u0000", "nul\u0000inside", "é漢字🚀" * 100, "x" * 60000, None, 5, ["a"]],
    "date-time": ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59.999999Z", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00+23:59",
                  "9999-12-31T23:59:59-23:59", "2025-02-30T00:00:00Z", "10000-01-01T00:00:00Z", None, 0],
    "boolean": [True, "true", 0, None],
    "uuid": ["00000000-0000-0000-0000-000000000000", "not-a-uuid", 5, {"id": "x" * 5000}],
    "array": [deep(31), deep(33), deep(500), [{}] * 1001, [{"name": "\u0000", "age": 2**63 - 1}], [1e308, -1e308], {"a": 1}, None],
}
# A lone surrogate can only be written as raw JSON text.
RAW_STRINGS = [b'"\\ud800"', b'"\\udfff\\ud800"']


def kind(schema):
    if "anyOf" in schema:
        first = schema["anyOf"][0]
        return "uuid" if first.get("format") == "uuid" else "reference"
    if schema.get("type") == "string":
        return schema.get("format", "string")
    return schema.get("type", "string")


if "://" not in store and not os.path.exists(store):
    # A new SQLite file is made, with the bundled data, by `serve`: start it once first.
    process, port, _ = processes.serve(perigee, store, work, "--no-access-log")
    process.terminate()
    process.wait(timeout=60)
perigee_keys = subprocess.run([perigee, "keys", "create", "--name", "fuzz", "--scope", "write", "--rate", "none", "--database", store],
                              capture_output=True, text=True, timeout=120)
key = perigee_keys.stdout.strip().splitlines()[-1]
process, port, log = processes.serve(perigee, store, work, "--no-access-log")

schema = request(port, "GET", "/2.3.0/schema/")[1]
schemas = schema["components"]["schemas"]
craft = request(port, "GET", "/2.3.0/spacecraft/?mode=detailed&limit=1&ordering=id")[1]["results"][0]
flight = request(port, "GET", "/2.3.0/spacecraft_flights/?mode=detailed&limit=1&ordering=id")[1]["results"][0]
docking = request(port, "GET", "/2.3.0/docking_events/?mode=detailed&limit=1&ordering=id")[1]["results"][0]
bases = {
    "spacecraft": {"name": "Fuzz Craft", "status": craft["status"]["id"], "spacecraft_config": craft["spacecraft_config"]["id"]},
    # A launch whose `net` the store holds, so the craft's figures are computed, not imported.
    "spacecraft_flights": {"spacecraft": None, "launch": next(
        launch["id"] for launch in request(port, "GET", "/2.3.0/launches/?limit=100")[1]["results"] if launch.get("net"))},
    "docking_events": {"docking": "2025-01-01T00:00:00Z", "docking_location": docking["docking_location"]["id"],
                       "flight_vehicle_chaser": None},
}
created = {}


def create(endpoint, body):
    status, answer = request(port, "POST", f"/2.3.0/{endpoint}/", body, key)
    if status == 201:
        created.setdefault(endpoint, []).append(answer["id"])
        return answer["id"]
    return None


craft_id = create("spacecraft", bases["spacecraft"])
bases["spacecraft_flights"]["spacecraft"] = craft_id
flight_id = create("spacecraft_flights", bases["spacecraft_flights"])
bases["docking_events"]["flight_vehicle_chaser"] = flight_id
docking_id = create("docking_events", bases["docking_events"])
tally.check(None not in (craft_id, flight_id, docking_id), "a craft, its flight and a docking event are created from valid bodies")
targets = {"spacecraft": craft_id, "spacecraft_flights": flight_id, "docking_events": docking_id}

writes = 0
for endpoint, names in (("spacecraft", "Spacecraft"), ("spacecraft_flights", "SpacecraftFlight"), ("docking_events", "DockingEvent")):
    properties = schemas[f"{names}Write"]["properties"]
    for field, field_schema in properties.items():
        values = REFERENCES if kind(field_schema) == "reference" else EXTREMES.get(kind(field_schema), EXTREMES["string"])
        for index, value in enumerate(values):
            request(port, "PATCH", f"/2.3.0/{endpoint}/{targets[endpoint]}/", {field: value}, key)
            if index % 3 == 0:
                create(endpoint, {**bases[endpoint], field: value})
            writes += 1 + (index % 3 == 0)
        if kind(field_schema) == "string":
            for raw in RAW_STRINGS:
                request(port, "PATCH", f"/2.3.0/{endpoint}/{targets[endpoint]}/", raw=b'{"%s": %s}' % (field.encode(), raw), key=key)
                writes += 1
# Thirty-two dockings from year 1 to 9999 on one flight of a fresh craft (each alone fits; their sum
# cannot), then open ones from year 1.
storm_craft = create("spacecraft", bases["spacecraft"])
storm_flight = create("spacecraft_flights", {**bases["spacecraft_flights"], "spacecraft": storm_craft})
bases["docking_events"]["flight_vehicle_chaser"] = storm_flight
storm = []
for index in range(40):
    body = {**bases["docking_events"], "docking": "0001-01-01T00:00:00Z"}
    if index < 32:
        body["departure"] = "9999-12-31T23:59:59Z"
    status, answer = request(port, "POST", "/2.3.0/docking_events/", body, key)
    storm.append(status)
    if index == 0 and status != 201:
        print("       first storm docking:", status, str(answer)[:300], storm_craft, storm_flight)
    writes += 1
tally.check(storm.count(201) >= 25 and 400 in storm, f"the docking storm: {storm.count(201)} created, {storm.count(400)} refused")
tally.check(True, f"{writes} hostile writes sent")


def crawl(port, label):
    root = request(port, "GET", "/2.3.0/")[1] or {}
    reads = 0
    for url in root.values():
        path = url.split("/2.3.0/", 1)[1]
        for query in ("?mode=list", "?mode=normal", "?mode=detailed&limit=100", "?format=api", "?mode=detailed&format=api&limit=100"):
            request(port, "GET", f"/2.3.0/{path}{query}")
            reads += 1
    for ordering in ("time_docked", "-time_docked", "time_in_space", "-time_in_space", "fastest_turnaround", "-fastest_turnaround",
                     "flights_count", "-mission_ends_count"):
        for page in range(0, 300, 100):
            request(port, "GET", f"/2.3.0/spacecraft/?ordering={ordering}&mode=detailed&limit=100&offset={page}")
            reads += 1
    for query in ("in_space=true", "in_space=false", "search=fuzz", "ordering=-duration", "ordering=turn_around_time"):
        request(port, "GET", f"/2.3.0/spacecraft/?{query}")
        request(port, "GET", f"/2.3.0/spacecraft_flights/?{query}&mode=detailed")
        reads += 2
    for endpoint, ids in created.items():
        for object_id in ids:
            for suffix in ("", "?format=api", "history/"):
                request(port, "GET", f"/2.3.0/{endpoint}/{object_id}/{suffix}")
                reads += 1
    request(port, "GET", "/2.3.0/changes/?limit=1000")
    reads += 1
    tally.check(True, f"{label}: {reads} reads")


crawl(port, "crawl")
process.terminate()
process.wait(timeout=60)
process, port, log = processes.serve(perigee, store, work, "--no-access-log")
crawl(port, "crawl after a restart")
alive = process.poll() is None
process.terminate()
process.wait(timeout=60)
tally.check(alive, "the server is still running")
for problem in problems[:20]:
    print("       " + problem)
tally.check(not problems, f"no 5xx and no dropped connection ({len(problems)} problems)")
tally.check(time.monotonic() - started < 180, f"bounded: {time.monotonic() - started:.0f} s")
shutil.rmtree(work, ignore_errors=True)
tally.finish()
