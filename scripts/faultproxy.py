"""A small HTTP proxy that stands between `perigee sync` and its upstream (a real `perigee serve`) and
injects the faults a sync must survive, each one counted. Used by scripts/sync.py.

Faults, each optional, chosen per request in arrival order so a run is reproducible:
- `error_every`: every Nth request is answered 500 without reaching upstream;
- `truncate_every`: every Nth answer is cut to half its body, its Content-Length still the full one;
- `stall_once`: the first request to a list page waits `stall_seconds` before anything is sent;
- `throttle_at`: request number N is answered 429 with `Retry-After` and DRF's body;
- `delay_prefix`: answers for paths starting with it are held `delay_seconds` after upstream made them,
  so their `Date` is older than their arrival; `delay_containing`: the same for answers whose body
  contains those bytes.
`/2.3.0/api-throttle/` is passed through untouched. Every path asked for is logged in `requests`.
"""
import http.client
import threading
import time

import processes


class FaultProxy:
    def __init__(self, upstream_port, port=0, **faults):
        self.upstream_port = upstream_port
        self.faults = faults
        self.requests = []
        self.injected = {"error": 0, "truncate": 0, "stall": 0, "throttle": 0, "delay": 0}
        self.lock = threading.Lock()
        self.stalled = False
        self.server = processes.http_server(self.handle, port)
        self.port = self.server.server_address[1]

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def handle(self, handler):
        path = handler.path
        faults = self.faults
        with self.lock:
            self.requests.append(path)
            number = len(self.requests)
        if path.startswith("/2.3.0/api-throttle/"):
            return self.forward(handler, path)
        if faults.get("throttle_at") == number:
            self.count("throttle")
            body = b'{"detail":"Request was throttled. Expected available in 2 seconds."}'
            return self.answer(handler, 429, body, {"Retry-After": "2"})
        if faults.get("error_every") and number % faults["error_every"] == 0:
            self.count("error")
            return self.answer(handler, 500, b'{"detail":"injected"}', {})
        if faults.get("stall_once") and "offset=" in path:
            with self.lock:
                stall, self.stalled = not self.stalled, True
            if stall:
                self.count("stall")
                time.sleep(faults["stall_seconds"])
                handler.close_connection = True
                return
        truncate = faults.get("truncate_every") and number % faults["truncate_every"] == 0
        delay = faults.get("delay_prefix") and path.startswith(faults["delay_prefix"])
        return self.forward(handler, path, truncate=truncate, delay=faults.get("delay_seconds", 0) if delay else 0,
                            delay_containing=faults.get("delay_containing"))

    def count(self, fault):
        with self.lock:
            self.injected[fault] += 1

    def forward(self, handler, path, truncate=False, delay=0, delay_containing=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=30)
        headers = {k: v for k, v in handler.headers.items() if k.lower() in ("authorization", "if-none-match", "accept")}
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        passed = {k: v for k, v in response.getheaders() if k.lower() in ("date", "etag", "retry-after", "ratelimit", "ratelimit-policy", "content-type")}
        connection.close()
        if delay_containing and delay_containing in body:
            delay = self.faults.get("delay_seconds", 0)
        if delay:
            self.count("delay")
            time.sleep(delay)
        if truncate and len(body) > 2:
            self.count("truncate")
            handler.send_response(response.status)
            for key, value in passed.items():
                handler.send_header(key, value)
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body[: len(body) // 2])
            handler.wfile.flush()
            handler.close_connection = True
            return
        self.answer(handler, response.status, body, passed)

    @staticmethod
    def answer(handler, status, body, headers):
        handler.send_response_only(status)
        for key, value in headers.items():
            handler.send_header(key, value)
        if "Date" not in headers and "date" not in {k.lower() for k in headers}:
            handler.send_header("Date", handler.date_time_string())
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
