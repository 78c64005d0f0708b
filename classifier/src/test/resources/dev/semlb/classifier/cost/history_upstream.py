"""Upstream for make-access-log.sh: answers after a time that depends on the request.

GET /v1/reports/... takes 300 ms and says so in server-timing; other POSTs 40 ms; the rest 2 ms;
/v1/fail answers 503 at once. Usage: python3 history_upstream.py PORT
"""

import http.server
import sys
import time


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def answer(self):
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        if "/fail" in self.path:
            self.send_response(503)
            self.send_header("content-length", "0")
            self.end_headers()
            return
        report = "/reports/" in self.path
        ms = 300 if report else (40 if self.command == "POST" else 2)
        time.sleep(ms / 1000)
        body = b'{"ok":true}'
        self.send_response(200)
        self.send_header("content-type", "application/json")
        if report:
            self.send_header("server-timing", f"app;dur={ms}.5")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = answer

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
