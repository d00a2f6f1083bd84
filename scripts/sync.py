#!/usr/bin/env python3
"""`perigee sync` against a real upstream: another `perigee serve` on a generated store, throttled like
LL2 (`--anonymous-rate 6/second`, which an unpaced client on loopback exceeds at once), reached through
scripts/faultproxy.py.

1. Round trip: sync into an empty store (the seed endpoints, and launches and events, whose scheduled
   and event objects no flight links to); the pass finishes, upstream answered no 429 (its access log),
   and every URL of `perigee bench-urls --mix hot` and every detail route of every object listed at
   upstream's API root answers the same bytes downstream (upstream's origin replaced by downstream's).
   Live figures (`time_in_space`, `time_docked`, `duration`) may differ by the 2 s the two requests and
   `Date`'s one-second precision allow.
1b. Live figures: the same from an upstream holding LL2's captures (the bundled data), where crafts'
   figures are imported and tick on from the moment they were read. The proxy holds every answer with
   a craft in space 4 s, so a pass that dated them by their arrival instead of upstream's `Date` would
   be 4 s off.
2. Faults: 500s on every 10th request, a truncated body every 13th, a stall longer than the client's
   timeout, one 429 with `Retry-After`: the pass finishes with the same result (on PostgreSQL when a
   URL is given, and the strict crawl passes there too).
3. Resume: `kill -9` halfway through a pass; the next run resumes it, finishes, and fetched no list page
   or detail route twice except the one in flight at the kill.
4. Background: `serve --sync-from` runs a pass once the store is ready; `GET /status` reports it; SIGTERM
   stops the server cleanly.
5. Incremental: upstream renames a craft, gains a docking event with a new flight, loses a docking event;
   downstream, a docking event is imported from a file. The next pass brings the changes, removes what
   upstream removed, leaves the file's object, and makes at most a third of the first pass's requests.
6. Launches by `last_updated`: after a first pass of launches, upstream updates one (a new
   `last_updated`) and edits another in place; the next pass asks only for launches changed since the
   first's latest `last_updated` less an hour (`last_updated__gte`, ordered by it), brings the update,
   costs a tenth of the first pass or less, and removes nothing.

    scripts/sync.py PERIGEE_BINARY [POSTGRES_URL]
Last line: `sync: N passed, M failed`.
"""
import calendar
import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter

import processes
from faultproxy import FaultProxy
from processes import Tally

perigee = sys.argv[1]
postgres_url = sys.argv[2] if len(sys.argv) > 2 and sys.argv[2] else None
work = tempfile.mkdtemp(prefix="perigee-sync.")
tally = Tally("sync")
check = tally.check
LIVE = {"time_in_space", "time_docked", "duration"}
RATE = "6/second"
ENDPOINTS = ("spacecraft", "spacecraft_flights", "docking_events")
# What a pass walks here: the seed endpoints, and the lists whose objects no flight links to (scheduled
# launches, events, the lookups no record refers to) or that only appear nested in a shorter form without a
# `url` to fetch (celestial bodies: their detailed form's totals), so that every object upstream serves is
# mirrored.
MIRROR = ",".join(ENDPOINTS + ("launches", "events", "celestial_bodies") + tuple(
    f"config/{name}" for name in ("first_stage_types", "image_variant_types", "notice_types", "road_closure_statuses")))


def run(*arguments, timeout=600):
    return subprocess.run([perigee, *arguments], capture_output=True, text=True, timeout=timeout)


def sync(database, port, *extra):
    started = time.monotonic()
    endpoints = () if "--endpoints" in extra else ("--endpoints", MIRROR)
    result = run("sync", "--from", f"http://127.0.0.1:{port}", "--database", database, "--retry-wait", "0.2", *endpoints, *extra)
    return result, time.monotonic() - started


def get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read()


def every_detail_route(port):
    """The detail route of every object at every list endpoint the API root names (by its `url`, or by
    its id under the list path for objects that have none: payloads, patches, updates, lookups)."""
    root = json.loads(get(port, "/2.3.0/")[1])
    routes = []
    for url in root.values():
        path = urllib.parse.urlsplit(url).path
        if "api-throttle" in path:
            continue
        offset = 0
        while True:
            status, body = get(port, f"{path}?limit=100&offset={offset}")
            page = json.loads(body)
            routes += [urllib.parse.urlsplit(item["url"]).path if "url" in item else f"{path}{item['id']}/"
                       for item in page["results"]]
            if not page.get("next"):
                break
            offset += 100
    return routes


def live_equal(a, b):
    """Equal JSON, except live figures (ISO durations) may differ by 2 s."""
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(live_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, list) or isinstance(b, list):
        return False
    if isinstance(a, tuple):  # (key, value) pairs, in order
        return a[0] == b[0] and (abs(seconds(a[1]) - seconds(b[1])) <= 2 if a[0] in LIVE and a[1] and b[1] else live_equal(a[1], b[1]))
    return a == b


def seconds(duration):
    match = re.fullmatch(r"(-)?P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?", duration)
    if not match:
        return float("nan")
    sign, d, h, m, s = match.groups()
    total = int(d or 0) * 86400 + int(h or 0) * 3600 + int(m or 0) * 60 + float(s or 0)
    return -total if sign else total


def pairs(body):
    return json.loads(body, object_pairs_hook=lambda items: [tuple(item) for item in items])


# The upstream plays LL2: without a change feed, so the passes walk its lists as they would LL2's
# (following another Perigee's feed is FeedFollowTests' subject).
LL2_LIKE = ("--no-change-feed",)


def compare(up_port, down_port, paths):
    """(identical bytes, equal up to live figures, differing paths)."""
    identical, live, differing = 0, 0, []
    for path in paths:
        up_status, up_body = get(up_port, path)
        down_status, down_body = get(down_port, path)
        up_body = up_body.replace(f"http://127.0.0.1:{up_port}".encode(), f"http://127.0.0.1:{down_port}".encode())
        if up_status == down_status and up_body == down_body:
            identical += 1
        elif up_status == down_status and live_equal(pairs(up_body), pairs(down_body)):
            live += 1
        else:
            differing.append(f"{path} ({up_status}/{down_status})")
    return identical, live, differing


def strict_crawl(port, what):
    """scripts/crawl.py --strict on a synced store: every body valid against LL2's spec, no hollow nulls."""
    here = os.path.dirname(os.path.abspath(__file__))
    spec = os.path.join(here, "..", "Tests", "PerigeeTests", "Fixtures", "ll2-2.3.0-openapi.yml")
    crawl = subprocess.run([sys.executable, os.path.join(here, "crawl.py"), "--strict", f"http://127.0.0.1:{port}", spec],
                           capture_output=True, text=True, timeout=900)
    lines = crawl.stdout.strip().splitlines()
    print(f"       strict crawl of {what}: {lines[0] if lines else ''}; {lines[-1] if lines else crawl.stderr[-300:]}")
    for line in [line for line in lines if line.startswith("FAIL")][:5]:
        print("      ", line)
    check(crawl.returncode == 0, f"the strict crawl passes on {what}: valid against LL2's spec, response_mode as each schema says, "
          "no null beyond the documented deviations")


def upstream_throttled(log_path):
    return sum(1 for line in open(log_path) if re.search(r" GET \S+ 429 ", line))


upstream_store = os.path.join(work, "upstream.sqlite")
try:
    made = run("generate", "--scale", "1", "--database", upstream_store)
    check(made.returncode == 0, f"upstream generated: {made.stdout.strip()}")
    upstream, up_port, up_log = processes.serve(perigee, upstream_store, work, "--anonymous-rate", RATE, *LL2_LIKE)

    # 1. Round trip, through the proxy without faults (it counts the requests).
    proxy = FaultProxy(up_port)
    clean_origin_port = proxy.port  # the incremental pass (5) comes back through the same origin
    clean_store = os.path.join(work, "clean.sqlite")
    result, took = sync(clean_store, proxy.port)
    proxy.close()
    first_requests = len([p for p in proxy.requests if "api-throttle" not in p])
    print(f"       first pass: {first_requests} requests in {took:.0f} s: {result.stdout.strip()}")
    check(result.returncode == 0 and " finished" in result.stdout, "the pass finishes" + (f": {result.stderr[-800:]}" if result.returncode else ""))
    check(upstream_throttled(up_log) == 0, f"upstream answered no 429 during the paced pass ({upstream_throttled(up_log)})")
    burst = [get(up_port, "/2.3.0/spacecraft/?limit=1")[0] for _ in range(60)]
    check(429 in burst, "the same upstream refuses an unpaced client (the pacing is what kept the pass clean)")

    # Compare with upstream unthrottled.
    upstream.terminate(); upstream.wait(timeout=60)
    upstream, up_port, up_log = processes.serve(perigee, upstream_store, work, "--no-access-log", *LL2_LIKE)
    down, down_port, _ = processes.serve(perigee, clean_store, work, "--no-access-log")
    hot = run("bench-urls", "--mix", "hot", "--count", "500", "--database", upstream_store).stdout.split()
    details = every_detail_route(up_port)
    identical, live, differing = compare(up_port, down_port, sorted(set(hot)) + details)
    print(f"       {identical} identical, {live} equal up to live figures (within 2 s), {len(differing)} differing; "
          f"{len(set(hot))} hot URLs and {len(details)} detail routes")
    for line in differing[:10]:
        print("       differs:", line)
    check(not differing and identical > 0, "every hot URL and every object's detail route answers the same downstream")
    strict_crawl(down_port, "the synced store")
    down.terminate(); down.wait(timeout=60)

    # 1b. Live figures, on an upstream holding LL2's real captures (the bundled data): there, crafts'
    # figures are imported ones that tick on, not computed from flights, so their moment matters.
    real_store = os.path.join(work, "real.sqlite")
    real, real_port, _ = processes.serve(perigee, real_store, work, "--no-access-log")
    proxy = FaultProxy(real_port, delay_containing=b'"in_space":true', delay_seconds=4)
    real_copy = os.path.join(work, "real-copy.sqlite")
    result, took = sync(real_copy, proxy.port)
    proxy.close()
    check(result.returncode == 0, f"a pass from the captures' upstream finishes: {result.stdout.strip()}")
    print(f"       {proxy.injected['delay']} answers with a craft in space held 4 s; the pass took {took:.0f} s")
    copy, copy_port, _ = processes.serve(perigee, real_copy, work, "--no-access-log")
    real_routes = every_detail_route(real_port)
    identical, live, differing = compare(real_port, copy_port, real_routes + [f"/2.3.0/{e}/?mode=detailed" for e in ENDPOINTS])
    print(f"       captures: {identical} identical, {live} equal up to live figures, {len(differing)} differing of {len(real_routes) + 3}")
    for line in differing[:5]:
        print("       differs:", line)
    check(not differing and live > 0, "live figures tick on from upstream's Date, not from when the (4 s late) answer arrived")
    copy.terminate(); real.terminate(); copy.wait(timeout=60); real.wait(timeout=60)

    # 2. Faults.
    upstream.terminate(); upstream.wait(timeout=60)
    upstream, up_port, up_log = processes.serve(perigee, upstream_store, work, "--anonymous-rate", RATE, *LL2_LIKE)
    proxy = FaultProxy(up_port, error_every=10, truncate_every=13, stall_once=True, stall_seconds=4, throttle_at=7)
    faulty_store = postgres_url or os.path.join(work, "faulty.sqlite")
    if postgres_url:
        name = f"perigee_sync_{os.getpid()}"
        subprocess.run(["psql", "-q", "-d", postgres_url, "-c", f"CREATE DATABASE {name}"], check=True)
        parts = urllib.parse.urlsplit(postgres_url)
        faulty_store = urllib.parse.urlunsplit(parts._replace(path="/" + name))
    result, took = sync(faulty_store, proxy.port, "--timeout", "2", "--attempts", "8")
    proxy.close()
    print(f"       faulty pass: {len(proxy.requests)} requests in {took:.0f} s, injected {proxy.injected}: {result.stdout.strip()}")
    check(result.returncode == 0 and " finished" in result.stdout, "the pass finishes through 500s, truncations, a stall and a 429"
          + (f": {result.stderr[-800:]}" if result.returncode else ""))
    check(all(proxy.injected[f] > 0 for f in ("error", "truncate", "stall", "throttle")), "every fault was injected")
    upstream.terminate(); upstream.wait(timeout=60)
    clean, clean_port, _ = processes.serve(perigee, clean_store, work, "--no-access-log")
    faulty, faulty_port, _ = processes.serve(perigee, faulty_store, work, "--no-access-log")
    identical, live, differing = compare(clean_port, faulty_port, sorted(set(hot)) + details)
    check(not differing, f"the store synced through faults serves the same as the clean one ({identical} identical, {live} live, "
          f"{len(differing)} differing{': ' + differing[0] if differing else ''})")
    if postgres_url:
        strict_crawl(faulty_port, "the store synced into PostgreSQL")
    clean.terminate(); faulty.terminate(); clean.wait(timeout=60); faulty.wait(timeout=60)
    if postgres_url:
        subprocess.run(["psql", "-q", "-d", postgres_url, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)

    # 3. Resume after kill -9.
    upstream, up_port, up_log = processes.serve(perigee, upstream_store, work, "--no-access-log", *LL2_LIKE)
    proxy = FaultProxy(up_port, delay_prefix="/2.3.0/", delay_seconds=0.02)
    resumed_store = os.path.join(work, "resumed.sqlite")
    process = subprocess.Popen([perigee, "sync", "--from", f"http://127.0.0.1:{proxy.port}", "--database", resumed_store, "--endpoints", MIRROR],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while len(proxy.requests) < first_requests // 2 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait()
    killed_at = len(proxy.requests)
    result = run("sync", "--from", f"http://127.0.0.1:{proxy.port}", "--database", resumed_store, "--endpoints", MIRROR)
    proxy.close()
    fetched = Counter(p for p in proxy.requests if "api-throttle" not in p and not p.startswith("/2.3.0/changes/"))
    twice = {path: n for path, n in fetched.items() if n > 1}
    print(f"       killed after {killed_at} requests; resumed: {result.stdout.strip()}; fetched twice: {twice}")
    check(result.returncode == 0 and "(resumed)" in result.stdout and " finished" in result.stdout, "the second run resumes the pass and finishes")
    check(len(twice) <= 1 and all(n == 2 for n in twice.values()), "nothing was fetched twice but the request in flight at the kill")
    resumed, resumed_port, _ = processes.serve(perigee, resumed_store, work, "--no-access-log")
    identical, live, differing = compare(up_port, resumed_port, details)
    check(not differing, f"the resumed store serves every object as upstream does ({len(differing)} differ)")
    resumed.terminate(); resumed.wait(timeout=60)

    # 4. In the background of `serve`, reported by /status.
    background_store = os.path.join(work, "background.sqlite")
    background, background_port, _ = processes.serve(
        perigee, background_store, work, "--no-access-log", "--sync-from", f"http://127.0.0.1:{up_port}", "--sync-every", "1h",
        "--sync-endpoints", MIRROR)
    deadline, status = time.monotonic() + 180, {}
    while time.monotonic() < deadline:
        status = json.loads(get(background_port, "/status")[1])
        if status["sync"]["last"]:
            break
        time.sleep(0.5)
    last = status["sync"]["last"] or {}
    print(f"       /status: {json.dumps(status)[:400]}")
    check(last.get("state") == "finished" and last.get("objects", 0) > 0 and status["last_change"] and status["sync"]["current"] is None,
          "serve --sync-from runs a pass in the background and /status reports it finished")
    identical, live, differing = compare(up_port, background_port, details[:50])
    check(not differing, "the background pass's objects answer as upstream's")
    check(background.terminate() or background.wait(timeout=60) == 0, "serve with a background sync stops cleanly on SIGTERM")

    # 5. Incremental: change upstream, sync the first pass's store again.
    docking = json.loads(get(up_port, "/2.3.0/docking_events/?mode=detailed&limit=2")[1])["results"]
    craft = json.loads(get(up_port, "/2.3.0/spacecraft/?mode=detailed&limit=1")[1])["results"][0]
    upstream.terminate(); upstream.wait(timeout=60)
    renamed = dict(craft, name=craft["name"] + " (renamed upstream)")
    added = json.loads(json.dumps(docking[0]).replace(f'/docking_events/{docking[0]["id"]}/', "/docking_events/990001/"))
    added["id"] = 990001
    chaser = added.get("flight_vehicle_chaser")
    if chaser:
        old_url = chaser["url"]
        added["flight_vehicle_chaser"] = json.loads(json.dumps(chaser).replace(old_url, old_url.rsplit("/", 2)[0] + "/990002/"))
        added["flight_vehicle_chaser"]["id"] = 990002
    local = json.loads(json.dumps(docking[1]).replace(f'/docking_events/{docking[1]["id"]}/', "/docking_events/990003/"))
    local["id"] = 990003
    for name, body in (("renamed.json", renamed), ("added.json", added), ("local.json", local)):
        with open(os.path.join(work, name), "w") as file:
            json.dump(body, file)
    changed = run("import", os.path.join(work, "renamed.json"), os.path.join(work, "added.json"), "--database", upstream_store)
    removed_id = docking[1]["id"]
    subprocess.run(["sqlite3", upstream_store, f"DELETE FROM docking_event WHERE id = {removed_id}"], check=True)
    here = run("import", os.path.join(work, "local.json"), "--database", clean_store)
    check(changed.returncode == 0 and here.returncode == 0, "upstream changed (a craft renamed, a docking and its flight added, a docking removed); "
          "a docking imported downstream from a file")
    upstream, up_port, up_log = processes.serve(perigee, upstream_store, work, "--anonymous-rate", RATE, *LL2_LIKE)
    proxy = FaultProxy(up_port, port=clean_origin_port)
    result, took = sync(clean_store, proxy.port)
    proxy.close()
    second_requests = len([p for p in proxy.requests if "api-throttle" not in p])
    print(f"       incremental pass: {second_requests} requests (the first pass: {first_requests}) in {took:.0f} s: {result.stdout.strip()}")
    check(result.returncode == 0 and " finished" in result.stdout, "the incremental pass finishes")
    check(second_requests * 3 <= first_requests, f"it makes far fewer requests than the first ({second_requests} against {first_requests})")
    upstream.terminate(); upstream.wait(timeout=60)
    upstream, up_port, up_log = processes.serve(perigee, upstream_store, work, "--no-access-log", *LL2_LIKE)
    down, down_port, _ = processes.serve(perigee, clean_store, work, "--no-access-log")
    changed_paths = [f"/2.3.0/spacecraft/{craft['id']}/", "/2.3.0/docking_events/990001/", f"/2.3.0/docking_events/{removed_id}/",
                     "/2.3.0/spacecraft/?search=renamed%20upstream"]
    if chaser:
        changed_paths.append("/2.3.0/spacecraft_flights/990002/")
    identical, live, differing = compare(up_port, down_port, changed_paths)
    check(not differing, f"the rename, the additions and the removal arrived ({identical} identical, {live} live; {differing[:3]})")
    check(get(down_port, f"/2.3.0/docking_events/{removed_id}/")[0] == 404, "the object upstream removed is gone downstream")
    check(get(down_port, "/2.3.0/docking_events/990003/")[0] == 200, "the object imported from a file is untouched")
    listed = [sorted(item["id"] for item in json.loads(get(port, "/2.3.0/docking_events/?limit=100")[1])["results"])
              for port in (up_port, down_port)]
    check(listed[1] == sorted(listed[0] + [990003]), "downstream lists exactly upstream's docking events and the file's")
    down.terminate(); down.wait(timeout=60)

    # 6. Launches by `last_updated`: a later pass asks only for what changed since the last one.
    launch_store = os.path.join(work, "launches.sqlite")
    proxy = FaultProxy(up_port)
    result, _ = sync(launch_store, proxy.port, "--endpoints", "launches")
    proxy.close()
    first_launch_requests = [p for p in proxy.requests if "api-throttle" not in p]
    check(result.returncode == 0 and " finished" in result.stdout and "changed since" not in result.stdout,
          f"a first pass of launches walks them all: {result.stdout.strip()}")
    newest = json.loads(get(up_port, "/2.3.0/launches/?mode=detailed&limit=1&ordering=-last_updated")[1])["results"][0]
    oldest = json.loads(get(up_port, "/2.3.0/launches/?mode=detailed&limit=1&ordering=last_updated")[1])["results"][0]
    second_oldest = json.loads(get(up_port, "/2.3.0/launches/?mode=detailed&limit=1&offset=1&ordering=last_updated")[1])["results"][0]
    upstream.terminate(); upstream.wait(timeout=60)
    updated = dict(oldest, name=oldest["name"] + " (updated)", last_updated=time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()))
    quiet = dict(second_oldest, name=second_oldest["name"] + " (edited without last_updated)")
    for name, body in (("updated.json", updated), ("quiet.json", quiet)):
        with open(os.path.join(work, name), "w") as file:
            json.dump(body, file)
    changed = run("import", os.path.join(work, "updated.json"), os.path.join(work, "quiet.json"), "--database", upstream_store)
    check(changed.returncode == 0, "upstream updated its oldest launch (last_updated now) and edited the next oldest in place")
    upstream, up_port, up_log = processes.serve(perigee, upstream_store, work, "--no-access-log", *LL2_LIKE)
    proxy = FaultProxy(up_port, port=proxy.port)
    result, _ = sync(launch_store, proxy.port, "--endpoints", "launches")
    proxy.close()
    second = [p for p in proxy.requests if "api-throttle" not in p]
    mark = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(
        calendar.timegm(time.strptime(newest["last_updated"][:19], "%Y-%m-%dT%H:%M:%S")) - 3600))
    print(f"       launches: first pass {len(first_launch_requests)} requests, second {len(second)}: {second}; {result.stdout.strip()}")
    check(result.returncode == 0 and f"launches complete (changed since {mark})" in result.stdout,
          f"the second pass walks launches changed since the first's latest last_updated less an hour ({mark})")
    check(second and all(f"last_updated__gte={mark}" in p and "ordering=last_updated,id" in p for p in second if p.startswith("/2.3.0/launches/?")),
          "every launches list page it asked for is filtered by last_updated__gte and ordered by it")
    check(len(second) * 10 <= len(first_launch_requests), f"it costs a tenth of the first pass or less ({len(second)} against {len(first_launch_requests)})")
    down, down_port, _ = processes.serve(perigee, launch_store, work, "--no-access-log")
    identical, live, differing = compare(up_port, down_port, [f"/2.3.0/launches/{oldest['id']}/"])
    check(identical == 1, "the updated launch arrived")
    quiet_down = json.loads(get(down_port, f"/2.3.0/launches/{second_oldest['id']}/")[1])
    check(quiet_down["name"] == second_oldest["name"], "an edit that left last_updated alone waits for a --full pass (LL2's clients see the same)")
    counts = [json.loads(get(port, "/2.3.0/launches/?limit=1")[1])["count"] for port in (up_port, down_port)]
    check(counts[0] == counts[1], f"a walk of changes removes nothing ({counts[1]} launches downstream, {counts[0]} upstream)")
    down.terminate(); down.wait(timeout=60)
    upstream.terminate(); upstream.wait(timeout=60)
finally:
    shutil.rmtree(work, True)
tally.finish()
