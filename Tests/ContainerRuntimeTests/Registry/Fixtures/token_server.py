#!/usr/bin/env python3
"""Bearer token service for the token-auth registry in RegistryPullTests (listens on 127.0.0.1 only).

usage: token_server.py KEY.pem CERT.pem ISSUER USER PASSWORD

Prints "listening on PORT" once it accepts connections. GET /token?service=S&scope=repository:NAME:ACTIONS
answers {"token","access_token","expires_in"} with an RS256 JWT whose header carries x5c = CERT (the registry's
rootcertbundle). Valid Basic credentials get the requested actions; anonymous requests get a token without
access (as Docker Hub does for private repositories); wrong credentials get 401. Signing uses the openssl CLI.
"""
import base64
import json
import subprocess
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

KEY, CERT, ISSUER, USER, PASSWORD = sys.argv[1:6]
with open(CERT) as f:
    X5C = "".join(line.strip() for line in f if line.strip() and not line.startswith("-----"))


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(claims):
    header = {"typ": "JWT", "alg": "RS256", "x5c": [X5C]}
    signing_input = (b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())).encode()
    signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", KEY], input=signing_input,
                               capture_output=True, check=True).stdout
    return signing_input.decode() + "." + b64url(signature)


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        if url.path != "/token":
            self.send_error(404)
            return
        query = parse_qs(url.query)
        subject = ""
        authorization = self.headers.get("Authorization", "")
        if authorization:
            expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
            if authorization != expected:
                self.send_error(401, "invalid credentials")
                return
            subject = USER
        access = []
        if subject:
            for scope in query.get("scope", []):
                parts = scope.split(":")
                if len(parts) == 3 and parts[0] == "repository":
                    access.append({"type": "repository", "name": parts[1], "actions": parts[2].split(",")})
        now = int(time.time())
        token = sign({"iss": ISSUER, "sub": subject, "aud": query.get("service", [""])[0], "exp": now + 300,
                      "nbf": now - 10, "iat": now, "jti": uuid.uuid4().hex, "access": access})
        body = json.dumps({"token": token, "access_token": token, "expires_in": 300}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        sys.stderr.write("token-server: " + (format % args) + "\n")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"listening on {server.server_address[1]}", flush=True)
server.serve_forever()
