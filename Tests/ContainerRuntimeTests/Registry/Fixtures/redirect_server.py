#!/usr/bin/env python3
"""Two HTTP servers on 127.0.0.1 for RegistryHTTPClientTests: ORIGIN redirects, TARGET echoes headers.

usage: redirect_server.py [CERT.pem KEY.pem]   (with a certificate, ORIGIN serves HTTPS)
Prints "listening on ORIGIN_PORT TARGET_PORT" once both accept connections.
ORIGIN: GET /same/<n>  -> 307 to /echo on ORIGIN itself;  GET /other -> 307 to TARGET's /echo;
        GET /loop -> 302 to /loop;  GET /stall -> headers, then no body bytes for 60 s;
        GET /echo -> 200 with the request headers as JSON.
TARGET: GET /echo -> 200 with the request headers as JSON (lower-case names).
"""
import json
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ports = {}


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == "/echo":
            body = json.dumps({k.lower(): v for k, v in self.headers.items()}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        elif self.path.startswith("/same"):
            self.redirect(307, "/echo")
        elif self.path == "/other":
            self.redirect(307, f"http://127.0.0.1:{ports['target']}/echo")
        elif self.path == "/stall":
            self.send_response(200)
            self.send_header("Content-Length", "10")
            self.end_headers()
            self.wfile.flush()
            time.sleep(60)
        elif self.path == "/loop":
            self.redirect(302, "/loop")
        else:
            self.send_error(404)

    def redirect(self, status, location):
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        sys.stderr.write("redirect-server: " + (format % args) + "\n")


origin = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
target = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
if len(sys.argv) == 3:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(sys.argv[1], sys.argv[2])
    origin.socket = context.wrap_socket(origin.socket, server_side=True)
ports["origin"], ports["target"] = origin.server_address[1], target.server_address[1]
threading.Thread(target=target.serve_forever, daemon=True).start()
print(f"listening on {ports['origin']} {ports['target']}", flush=True)
origin.serve_forever()
