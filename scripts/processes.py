"""What the scripts that drive real `perigee` processes share (faults.py, replicas.py): a tally of
checks with the `name: N passed, M failed` last line, free loopback ports, and starting
`perigee serve` and waiting until it is ready."""
import http.client
import http.server
import os
import socket
import subprocess
import sys
import threading
import time


class Tally:
    def __init__(self, name):
        self.name, self.passed, self.failed = name, 0, 0

    def check(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
        print(("ok     " if ok else "FAILED ") + what)

    def finish(self):
        print(f"{self.name}: {self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def serve(perigee, database, log_dir, *extra):
    """Starts `perigee serve` on a free port; returns (process, port, log path) once /health is 200."""
    port = free_port()
    log = open(os.path.join(log_dir, f"serve-{port}.log"), "w")
    process = subprocess.Popen([perigee, "serve", "--port", str(port), "--database", database, *extra], stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health")
            if connection.getresponse().status == 200:
                return process, port, log.name
        except OSError:
            pass
        time.sleep(0.2)
    process.kill()
    raise SystemExit("perigee serve did not become ready: " + open(log.name).read()[-2000:])


def http_server(handle, port=0):
    """A threaded HTTP/1.1 server on 127.0.0.1 (`port`, or a free one) that passes each GET's handler
    to `handle`; a client that goes away mid-answer is ignored. Returns the server (`server_address`,
    `shutdown()`, `server_close()`), already serving."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def do_GET(self):
            try:
                handle(self)
            except (BrokenPipeError, ConnectionResetError):
                pass

    http.server.ThreadingHTTPServer.allow_reuse_address = True
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
