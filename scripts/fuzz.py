#!/usr/bin/env python3
"""A hostile-request fuzz of a running Perigee, generated from Perigee's own OpenAPI document.

For every path and every parameter the document declares (every filter of every endpoint), it sends
garbage: huge and negative numbers, long values, NUL and control bytes, invalid UTF-8 percent-escapes,
SQL-looking text, thousands of search terms, repeated keys, unknown formats, bad ids, odd methods,
odd Host and forwarded headers. It counts statuses and fails on any 5xx or connection reset, and on
any response whose links name a host the client chose (cache poisoning: the server is started with
no trusted proxy, so no forwarded header may reach a body). Meanwhile an ordinary client asks for a
list page every 50 ms: each must be answered 200 within 5 s (the fuzz must not monopolise the store).
Bounded by count; prints the counts.

    scripts/fuzz.py http://127.0.0.1:PORT [REQUESTS=10000] [SEED=1]
Last line: `fuzz: N passed, M failed` (a request passes when it is answered below 500, with no reset).
"""
import collections
import http.client
import json
import random
import sys
import threading
import time
import urllib.parse

base = sys.argv[1]
total = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
rnd = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
split = urllib.parse.urlsplit(base)
HOST, PORT = split.hostname, split.port

VALUES = [
    "", "0", "-1", "1", "9223372036854775807", "-9223372036854775808", "99999999999999999999", "-99999999999999999999",
    "1e309", "NaN", "inf", "True", "false", "maybe", "'; DROP TABLE spacecraft;--", "1 OR 1=1", "%00", "a%00b", "%01%02%1f",
    "%ff%fe", "%c3%28", "%e2%82", "%ed%a0%80", "\u202e", "2025-13-45T99:99:99Z", "2025-02-30", "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59+14:00", "-id,-id,--id", "-", ",,,", "../../etc/passwd", "<script>alert(1)</script>", "a" * 3000,
    "Союз", "中文", "%25", "%%", "1,2,3,abc", ",".join(str(i) for i in range(150)), "[]", "{}", "null", "\\", "é" * 300,
    "%22%27%60", "$(id)", "{{7*7}}", "\r\nX-Injected: 1",
]
IDS = ["1", "-1", "0", "abc", "99999999999999999999", "9223372036854775807", "%00", "..%2f..%2f", "%ff", "1.5", "1e3",
       "00000000-0000-0000-0000-000000000000", "' OR '1'='1"]


def fetch_document():
    connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
    connection.request("GET", "/2.3.0/schema/")
    body = connection.getresponse().read()
    connection.close()
    return json.loads(body)


def routes(document):
    """(path template, parameter names) of every GET operation."""
    out = []
    for path, item in document["paths"].items():
        operation = item.get("get")
        if operation is None:
            continue
        names = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
        out.append((path, names))
    return out


def quote(value):
    # Values already holding percent-escapes go as written (invalid UTF-8 and NULs on purpose).
    return urllib.parse.quote(value, safe="%,") if "%" in value else urllib.parse.quote(value, safe=",")


def make_request(all_routes):
    path, names = rnd.choice(all_routes)
    if "{" in path and rnd.random() < 0.5:
        path = path.split("{")[0] + str(rnd.randint(1, 700)) + "/"
    elif "{" in path:
        path = path.split("{")[0] + quote(rnd.choice(IDS)) + "/"
    pairs = []
    for _ in range(rnd.randint(0, 6)):
        key = rnd.choice(names + ["search", "ordering", "limit", "offset", "mode", "x", "%00", ""])
        pairs.append(f"{quote(key)}={quote(rnd.choice(VALUES))}")
    format_roll = rnd.random()
    if format_roll < 0.05:
        pairs.append(f"format={quote(rnd.choice(VALUES))}")
    elif format_roll < 0.25:
        pairs.append("format=" + rnd.choice(["json", "api"]))
    roll = rnd.random()
    if roll < 0.03:
        pairs.append("search=" + "+".join(f"t{k}" for k in range(rnd.choice([21, 320, 995, 2000]))))
    elif roll < 0.05:
        pairs += ["limit=1"] * 300
    url = path + ("?" + "&".join(pairs) if pairs else "")
    headers = {}
    method = "GET"
    extra = rnd.random()
    if extra < 0.05:
        headers["X-Forwarded-Host"] = "evil.example"
        headers["X-Forwarded-Proto"] = rnd.choice(["javascript", "https", "ftp"])
        headers["X-Forwarded-For"] = "6.6.6.6"
    elif extra < 0.08:
        headers["Host"] = rnd.choice(["evil.example", "evil.example:80", "", "a b", "[::1", "127.0.0.1:99999", "%00"])
    elif extra < 0.10:
        method = rnd.choice(["HEAD", "OPTIONS", "POST", "PUT", "DELETE", "PATCH", "TRACE"])
    elif extra < 0.12:
        headers["Accept"] = "text/html"
    elif extra < 0.14:
        headers["If-None-Match"] = rnd.choice(['"x"', "*", "W/\"1\"", "a" * 500])
        headers["Accept-Encoding"] = rnd.choice(["gzip", "gzip;q=0", "br;q=abc", "*"])
    return method, url, headers


statuses = collections.Counter()
failures = []
poisoned = []
lock = threading.Lock()


def worker(requests):
    connection = None
    for method, url, headers in requests:
        try:
            if connection is None:
                connection = http.client.HTTPConnection(HOST, PORT, timeout=60)
            skip_host = "Host" in headers
            connection.putrequest(method, url, skip_host=skip_host, skip_accept_encoding=True)
            for name, value in headers.items():
                connection.putheader(name, value)
            connection.endheaders()
            response = connection.getresponse()
            body = response.read()
            status = response.status
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
            with lock:
                statuses[status] += 1
                if status >= 500:
                    failures.append(f"{status} {method} {url[:200]}")
                if b"evil.example" in body and status < 400 or b"javascript:" in body:
                    poisoned.append(f"{status} {method} {url[:200]} {headers}")
        except Exception as error:  # a reset, a timeout, a malformed answer: all count as failures
            with lock:
                statuses["reset"] += 1
                failures.append(f"ERR {type(error).__name__} {method} {url[:200]}")
            if connection is not None:
                connection.close()
            connection = None
    if connection is not None:
        connection.close()


canary_latencies = []
canary_stop = threading.Event()


def canary():
    """An ordinary client during the fuzz: a plain list page (a new one each time, so the store is
    asked) every 50 ms; it must keep being served."""
    index = 0
    while not canary_stop.is_set():
        index += 1
        started = time.monotonic()
        try:
            connection = http.client.HTTPConnection(HOST, PORT, timeout=30)
            connection.request("GET", f"/2.3.0/spacecraft/?limit={index % 100 + 1}&ordering=-id&offset={index % 7}")
            response = connection.getresponse()
            response.read()
            connection.close()
            canary_latencies.append(time.monotonic() - started if response.status == 200 else None)
        except OSError:
            canary_latencies.append(None)
        time.sleep(0.05)


all_routes = routes(fetch_document())
requests = [make_request(all_routes) for _ in range(total)]
# Then every page again as a plain client: no earlier hostile header may have poisoned what is cached.
plain = [("GET", url, {}) for (_, url, _) in requests[: total // 10]]
threads = [threading.Thread(target=worker, args=(requests[index::4],)) for index in range(4)]
watcher = threading.Thread(target=canary)
watcher.start()
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
canary_stop.set()
watcher.join()
worker(plain)

sent = total + len(plain)
print(f"routes: {len(all_routes)}; statuses: " + ", ".join(f"{k}={v}" for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))))
for line in failures[:20]:
    print(line)
for line in poisoned[:20]:
    print("POISONED " + line)
served = sorted(x for x in canary_latencies if x is not None)
canary_failed = len(canary_latencies) - len(served) + sum(1 for x in served if x > 5)
if served:
    print(f"ordinary client during the fuzz: {len(served)}/{len(canary_latencies)} served, "
          f"p50 {served[len(served) // 2] * 1000:.0f} ms, max {served[-1] * 1000:.0f} ms")
bad = len(failures) + len(poisoned) + canary_failed
print(f"fuzz: {sent - bad} passed, {bad} failed")
sys.exit(1 if bad else 0)
