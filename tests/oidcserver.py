"""A small OpenID Connect provider for the single sign-on test, served over
real HTTP on 127.0.0.1: authorisation code flow, RS256-signed ID tokens, a
JWKS, a userinfo endpoint. The person who "logs in" at the provider is the
one the test names in ``next_person``."""

from __future__ import annotations

import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from urllib.parse import parse_qs
from urllib.parse import urlencode
from urllib.parse import urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "archive"
CLIENT_SECRET = "archive-client-secret"


class Provider:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        self.jwks = {"keys": [{**jwk, "kid": "test-key", "alg": "RS256", "use": "sig"}]}
        self.next_person: dict = {}
        self.codes: dict[str, tuple[dict, str]] = {}
        self.tokens: dict[str, dict] = {}
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body, status=200):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/authorize":
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = (dict(provider.next_person), query["nonce"])
                    back = urlencode({"code": code, "state": query["state"]})
                    self.send_response(302)
                    self.send_header("Location", f"{query['redirect_uri']}?{back}")
                    self.end_headers()
                elif url.path == "/jwks":
                    self._json(provider.jwks)
                elif url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix(
                        "Bearer "
                    )
                    claims = provider.tokens.get(token)
                    self._json(
                        claims or {"error": "invalid_token"}, 200 if claims else 401
                    )
                else:
                    self._json({"error": "not_found"}, 404)

            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                form = {k: v[0] for k, v in parse_qs(body).items()}
                if self.path != "/token" or form.get("client_secret") != CLIENT_SECRET:
                    self._json({"error": "invalid_client"}, 401)
                    return
                person, nonce = provider.codes.pop(form.get("code", ""), (None, ""))
                if person is None:
                    self._json({"error": "invalid_grant"}, 400)
                    return
                now = int(time.time())
                id_token = jwt.encode(
                    {
                        "iss": provider.url,
                        "sub": person["sub"],
                        "aud": CLIENT_ID,
                        "iat": now,
                        "exp": now + 300,
                        "nonce": nonce,
                    },
                    provider.key,
                    algorithm="RS256",
                    headers={"kid": "test-key"},
                )
                access = secrets.token_urlsafe(16)
                provider.tokens[access] = person
                self._json(
                    {
                        "access_token": access,
                        "id_token": id_token,
                        "token_type": "Bearer",
                    }
                )

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def env(self) -> dict[str, str]:
        return {
            "ARCHIVE_OIDC_CLIENT_ID": CLIENT_ID,
            "ARCHIVE_OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "ARCHIVE_OIDC_AUTHORIZATION_ENDPOINT": f"{self.url}/authorize",
            "ARCHIVE_OIDC_TOKEN_ENDPOINT": f"{self.url}/token",
            "ARCHIVE_OIDC_USERINFO_ENDPOINT": f"{self.url}/userinfo",
            "ARCHIVE_OIDC_JWKS_ENDPOINT": f"{self.url}/jwks",
        }

    def stop(self) -> None:
        self.server.shutdown()
