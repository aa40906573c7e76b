"""An SMTP client that keeps one connection and pipelines each message's commands.

smtplib waits for a reply to every command: five round trips per message. With PIPELINING
(RFC 2920) a message costs one: the body of one message, then MAIL FROM, RCPT TO and DATA of
the next go in a single write, and the replies are read back in order.

The protocol for a batch:
1. Connect (TLS first for smtps), read the greeting, EHLO; STARTTLS and EHLO again when the
   settings ask for it; AUTH PLAIN or LOGIN when a user is set.
2. For each message write [previous body + "."] [RSET after a failed transaction] MAIL FROM,
   RCPT TO, DATA; read one reply per command. A 354 to DATA means the body goes first in the
   next write; any other reply fails only this message, and the next write starts with RSET.
3. Without PIPELINING the same commands go one at a time (lock-step).
4. Replies decide each message alone: 2xx sent (with the queue id when the server gives one),
   4xx temporary, 5xx permanent. A dropped connection or a 421 makes the messages in flight
   temporary (a body already sent may have arrived: the retry keeps its Message-ID), then the
   client reconnects and carries on with the rest.
"""

import base64
import contextlib
import logging
import re
import socket
import ssl
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from dearly.delivery.transports.config import SmtpSettings
from dearly.delivery.transports.message import Outcome, OutgoingEmail, Receipt
from dearly.delivery.transports.mime import build_mime, mime_address

log = logging.getLogger("dearly.delivery.smtp")

MAX_RECONNECTS = 3
IDLE_CHECK_SECONDS = 30.0
_QUEUE_ID = re.compile(r"(?:queued as|id=)\s*<?([\w.@-]+)>?", re.IGNORECASE)


class SmtpError(Exception):
    """The connection could not be set up (connect, greeting, TLS, AUTH)."""


class ConnectionLost(Exception):
    """The server closed the connection, timed out, or said 421."""


@dataclass(frozen=True, slots=True)
class Reply:
    code: int
    text: str

    @property
    def ok(self) -> bool:
        return 200 <= self.code < 300

    def __str__(self) -> str:
        return f"{self.code} {self.text}"


@dataclass(slots=True)
class _Pending:
    index: int
    email: OutgoingEmail
    raw: bytes


class SmtpConnection:
    """One SMTP session; `send` delivers a batch over it, reconnecting when it drops."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.extensions: dict[str, str] = {}
        self._sock: socket.socket | None = None
        self._file: BinaryIO | None = None
        self._last_used = 0.0

    @property
    def pipelining(self) -> bool:
        return "PIPELINING" in self.extensions

    # -- session ---------------------------------------------------------------------------

    def open(self) -> None:
        s = self.settings
        try:
            sock = socket.create_connection((s.host, s.port), timeout=s.timeout)
            # A pipelined write ends in a short segment: Nagle would hold it for an ACK.
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if s.security == "tls":
                sock = self._tls().wrap_socket(sock, server_hostname=s.host)
            self._attach(sock)
            self._expect(self._read(), 220, "greeting")
            self._ehlo()
            if s.security == "starttls" or (s.security == "auto" and "STARTTLS" in self.extensions):
                self._starttls()
            if s.username:
                self._auth()
        except (OSError, ConnectionLost) as error:
            self.abort()
            raise SmtpError(f"cannot connect to {s.host}:{s.port}: {error}") from None
        except SmtpError:
            self.abort()
            raise
        self._last_used = time.monotonic()
        log.info(
            "smtp.connected host=%s port=%s tls=%s pipelining=%s",
            s.host,
            s.port,
            isinstance(self._sock, ssl.SSLSocket),
            self.pipelining,
        )

    def close(self) -> None:
        if self._sock is None:
            return
        try:
            self._write(b"QUIT\r\n")
            self._read()
        except ConnectionLost:
            pass
        self.abort()

    def abort(self) -> None:
        for closable in (self._file, self._sock):
            if closable is not None:
                with contextlib.suppress(OSError):
                    closable.close()
        self._sock = self._file = None

    def _attach(self, sock: socket.socket) -> None:
        self._sock = sock
        self._file = sock.makefile("rb")

    def _tls(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=self.settings.cafile or None)
        if not self.settings.verify:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        return context

    def _ehlo(self) -> None:
        reply = self._command(f"EHLO {self.settings.helo}")
        self._expect(reply, 250, "EHLO")
        self.extensions = {}
        for line in reply.text.splitlines()[1:]:
            keyword, _, params = line.partition(" ")
            self.extensions[keyword.upper()] = params

    def _starttls(self) -> None:
        if "STARTTLS" not in self.extensions:
            raise SmtpError("the server does not offer STARTTLS, which these settings require")
        self._expect(self._command("STARTTLS"), 220, "STARTTLS")
        assert self._sock is not None
        sock = self._tls().wrap_socket(self._sock, server_hostname=self.settings.host)
        self._attach(sock)
        self._ehlo()

    def _auth(self) -> None:
        s = self.settings
        mechanisms = self.extensions.get("AUTH", "").upper().split()
        if "PLAIN" in mechanisms or not mechanisms:
            token = _b64(f"\0{s.username}\0{s.password}")
            reply = self._command(f"AUTH PLAIN {token}")
        elif "LOGIN" in mechanisms:
            self._expect(self._command("AUTH LOGIN"), 334, "AUTH LOGIN")
            self._expect(self._command(_b64(s.username)), 334, "AUTH LOGIN")
            reply = self._command(_b64(s.password))
        else:
            raise SmtpError(f"no AUTH mechanism in common (server offers {mechanisms})")
        self._expect(reply, 235, "AUTH")

    def _expect(self, reply: Reply, code: int, step: str) -> None:
        if reply.code != code:
            raise SmtpError(f"{step} refused: {reply}")

    # -- batches ---------------------------------------------------------------------------

    def send(self, emails: Sequence[OutgoingEmail]) -> list[Receipt]:
        receipts: dict[int, Receipt] = {}
        todo: list[_Pending] = []
        for index, email in enumerate(emails):
            try:
                todo.append(_Pending(index, email, _dot_safe(build_mime(email))))
            except ValueError as error:
                receipts[index] = Receipt(email.message_id, Outcome.PERMANENT, str(error))
        reconnects = 0
        while todo:
            try:
                self._ensure_open()
            except SmtpError as error:
                log.warning("smtp.unavailable host=%s", self.settings.host)
                for item in todo:
                    receipts[item.index] = _temporary(item, str(error))
                break
            in_flight: list[_Pending] = []
            try:
                run = self._pipelined if self.pipelining else self._lockstep
                run(todo, in_flight, receipts)
                todo = []
            except ConnectionLost as lost:
                log.warning("smtp.connection_lost host=%s", self.settings.host)
                self.abort()
                for item in in_flight:
                    receipts[item.index] = _temporary(item, f"connection lost: {lost}")
                todo = [item for item in todo if item.index not in receipts]
                reconnects += 1
                if reconnects > MAX_RECONNECTS:
                    for item in todo:
                        receipts[item.index] = _temporary(item, "connection keeps dropping")
                    break
        self._last_used = time.monotonic()
        return [receipts[i] for i in range(len(emails))]

    def _ensure_open(self) -> None:
        if self._sock is not None and time.monotonic() - self._last_used > IDLE_CHECK_SECONDS:
            try:  # servers drop idle sessions: find out now, not with a message in flight
                if not self._command("NOOP").ok:
                    self.abort()
            except ConnectionLost:
                self.abort()
        if self._sock is None:
            self.open()

    def _pipelined(
        self, todo: list[_Pending], in_flight: list[_Pending], receipts: dict[int, Receipt]
    ) -> None:
        body: _Pending | None = None
        reset = False
        for item in todo:
            chunks = []
            if body is not None:
                chunks.append(body.raw + b".\r\n")
            if reset:
                chunks.append(b"RSET\r\n")
            chunks.append(self._envelope(item))
            in_flight.append(item)
            self._write(b"".join(chunks))
            if body is not None:
                receipts[body.index] = _final(body, self._read())
                in_flight.remove(body)
                body = None
            if reset:
                self._read()
                reset = False
            mail, rcpt, data = self._read(), self._read(), self._read()
            if data.code == 354 and mail.ok and rcpt.ok:
                body = item
                continue
            if data.code == 354:  # some servers say 354 after refusing every recipient
                self._write(b".\r\n")
                self._read()
            receipts[item.index] = _refused(item, mail, rcpt, data)
            in_flight.remove(item)
            reset = True
        if body is not None:
            self._write(body.raw + b".\r\n")
            receipts[body.index] = _final(body, self._read())
            in_flight.remove(body)
        if reset:
            self._command("RSET")

    def _lockstep(
        self, todo: list[_Pending], in_flight: list[_Pending], receipts: dict[int, Receipt]
    ) -> None:
        for item in todo:
            in_flight.append(item)
            mail = self._command(_mail_from(item, self.extensions))
            rcpt = self._command(_rcpt_to(item)) if mail.ok else None
            data = self._command("DATA") if rcpt is not None and rcpt.ok else None
            if data is not None and data.code == 354:
                self._write(item.raw + b".\r\n")
                receipts[item.index] = _final(item, self._read())
            else:
                receipts[item.index] = _refused(item, mail, rcpt, data)
                self._command("RSET")
            in_flight.remove(item)

    def _envelope(self, item: _Pending) -> bytes:
        return f"{_mail_from(item, self.extensions)}\r\n{_rcpt_to(item)}\r\nDATA\r\n".encode(
            "ascii"
        )

    # -- wire ------------------------------------------------------------------------------

    def _command(self, line: str) -> Reply:
        self._write(line.encode("ascii") + b"\r\n")
        return self._read()

    def _write(self, data: bytes) -> None:
        if self._sock is None:
            raise ConnectionLost("not connected")
        try:
            self._sock.sendall(data)
        except OSError as error:
            raise ConnectionLost(str(error) or type(error).__name__) from None

    def _read(self) -> Reply:
        if self._file is None:
            raise ConnectionLost("not connected")
        lines = []
        try:
            while True:
                line = self._file.readline(4096)
                if not line:
                    raise ConnectionLost("closed by the server")
                lines.append(line[4:].rstrip(b"\r\n").decode("utf-8", "replace"))
                if line[3:4] != b"-":
                    break
            code = int(line[:3])
        except OSError as error:
            raise ConnectionLost(str(error) or type(error).__name__) from None
        except ValueError:
            raise ConnectionLost("the server's reply is not SMTP") from None
        reply = Reply(code, "\n".join(lines))
        if code == 421:
            raise ConnectionLost(str(reply))
        return reply


def _mail_from(item: _Pending, extensions: dict[str, str]) -> str:
    size = f" SIZE={len(item.raw)}" if "SIZE" in extensions else ""
    return f"MAIL FROM:<{mime_address(item.email.from_addr)}>{size}"


def _rcpt_to(item: _Pending) -> str:
    return f"RCPT TO:<{mime_address(item.email.to_addr)}>"


def _dot_safe(raw: bytes) -> bytes:
    """build_mime never starts a line with "."; stuff anyway if one does (RFC 5321 4.5.2)."""
    if raw.startswith(b".") or b"\n." in raw:
        raw = (b"\r\n" + raw).replace(b"\n.", b"\n..")[2:]
    return raw if raw.endswith(b"\r\n") else raw + b"\r\n"


def _final(item: _Pending, reply: Reply) -> Receipt:
    if reply.ok:
        match = _QUEUE_ID.search(reply.text)
        provider_id = match.group(1) if match else ""
        return Receipt(item.email.message_id, Outcome.SENT, str(reply), provider_id)
    return Receipt(item.email.message_id, _outcome(reply), str(reply))


def _refused(item: _Pending, *replies: Reply | None) -> Receipt:
    """The first refusal among MAIL, RCPT and DATA decides (later ones only echo it)."""
    reply = next(r for r in replies if r is not None and not (r.ok or r.code == 354))
    return Receipt(item.email.message_id, _outcome(reply), str(reply))


def _outcome(reply: Reply) -> Outcome:
    return Outcome.PERMANENT if 500 <= reply.code < 600 else Outcome.TEMPORARY


def _temporary(item: _Pending, detail: str) -> Receipt:
    return Receipt(item.email.message_id, Outcome.TEMPORARY, detail)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


class SmtpTransport:
    """EmailTransport over SMTP: one connection kept open across batches."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.connection = SmtpConnection(settings)

    def send_batch(self, emails: Sequence[OutgoingEmail]) -> list[Receipt]:
        return self.connection.send(emails)

    def close(self) -> None:
        self.connection.close()
