"""One signed POST to a subscriber, by the Standard Webhooks scheme, and what came back.

1. The URL is checked and resolved once (hooks.guard); the connection goes to a checked
   address, with the host name kept for the Host header and for TLS.
2. The body is signed with `standardwebhooks`: `webhook-id` (the delivery's id, the same on
   every try), `webhook-timestamp` (now, in seconds) and `webhook-signature` (v1, HMAC-SHA256
   over id, timestamp and body).
3. Connect and read have their own timeouts; a redirect is an answer like any other and is
   never followed. Only a 2xx answer counts as delivered.
"""

import datetime as dt
import http.client
import socket
import ssl
import time
from dataclasses import dataclass

from standardwebhooks import Webhook

from dearly.hooks.guard import Refused, Target, check

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
USER_AGENT = "Dearly-Webhooks/1"


@dataclass(frozen=True, slots=True)
class Answer:
    status_code: int | None
    error: str
    excerpt: str
    duration_ms: int

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def signed_headers(*, secret: str, msg_id: str, at: dt.datetime, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id=msg_id, timestamp=at, data=body),
    }


def post(
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    allow_private: bool,
    connect_timeout: float = CONNECT_TIMEOUT,
    read_timeout: float = READ_TIMEOUT,
) -> Answer:
    started = time.monotonic()

    def answer(status: int | None, error: str = "", excerpt: str = "") -> Answer:
        elapsed = int((time.monotonic() - started) * 1000)
        return Answer(status, error[:300], excerpt[:300], elapsed)

    try:
        target = check(url, allow_private=allow_private)
    except Refused as exc:
        return answer(None, f"refused: {exc}")
    try:
        sock = _connect(target, connect_timeout)
    except (OSError, ssl.SSLError) as exc:
        return answer(None, f"could not connect: {type(exc).__name__}: {exc}")
    conn = http.client.HTTPConnection(target.host, target.port, timeout=read_timeout)
    conn.sock = sock  # already connected to the checked address: http.client must not resolve
    try:
        sock.settimeout(read_timeout)
        all_headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            **headers,
        }
        conn.request("POST", target.path, body=body, headers=all_headers)
        response = conn.getresponse()
        excerpt = response.read(2048).decode("utf-8", "replace")
    except TimeoutError:
        return answer(None, "no answer in time")
    except (OSError, http.client.HTTPException) as exc:
        return answer(None, f"connection failed: {type(exc).__name__}")
    finally:
        conn.close()
    error = ""
    if 300 <= response.status < 400:
        error = "redirects are not followed: give the webhook its final address"
    elif not 200 <= response.status < 300:
        error = f"the receiver answered {response.status}"
    return answer(response.status, error, excerpt)


def _connect(target: Target, timeout: float) -> socket.socket:
    last: OSError | None = None
    for address in target.addresses:
        try:
            sock = socket.create_connection((str(address), target.port), timeout=timeout)
        except OSError as exc:
            last = exc
            continue
        if target.scheme == "https":
            context = ssl.create_default_context()
            return context.wrap_socket(sock, server_hostname=target.host)
        return sock
    raise last or OSError("no address to connect to")
