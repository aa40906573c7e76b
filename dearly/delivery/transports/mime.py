"""Write an email's RFC 5322 / MIME bytes directly, ready to hand to SMTP as they are.

Django's and Python's email objects build a tree of header and part objects for each message,
which costs ~20 times more than the message is worth on the send path. The bytes here are
written straight from the frozen message, with these guarantees (tested by parsing them back
with Python's email package):

1. Every line ends in CRLF and is at most 78 characters, except a header word that cannot be
   broken (at most 998), so the result is valid on any SMTP server without rewriting.
2. Non-ASCII display names and subjects become RFC 2047 encoded-words (UTF-8, base64), split on
   character boundaries and folded one per line.
3. CR, LF and other control characters in a subject or display name become spaces: text from a
   template or a contact can never start a header of its own. Addresses, the Message-ID and extra
   headers are checked instead, and refused with ValueError (a programming error, not content).
4. No body line starts with "." or "From ", so the bytes need no dot-stuffing and survive mbox
   tools; bodies are 7bit when they can be, else quoted-printable, else base64 for mostly
   non-Latin text.
5. The same message gives the same bytes (the boundary comes from the Message-ID), apart from
   the Date.
"""

import base64
import binascii
import hashlib
import re
import time
from functools import lru_cache

from dearly.delivery.transports.message import OutgoingEmail

MAX_LINE = 78
MAX_WORD = 998
_ENCODED_WORD_MAX = 75
_ENCODED_WORD_OVERHEAD = len("=?utf-8?b??=")

_CONTROLS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?\Z"
)
_MESSAGE_ID = re.compile(r"<[\x21-\x3b\x3d\x3f-\x7e]+@[\x21-\x3b\x3d\x3f-\x7e]+>\Z")
# A word that may stand unquoted in a display name (RFC 5322 atext).
_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+\Z")
_HEADER_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*\Z")
# Headers the builder writes itself; an extra header may not replace or repeat them.
_OWN_HEADERS = frozenset(
    {
        "date",
        "from",
        "to",
        "cc",
        "bcc",
        "sender",
        "reply-to",
        "subject",
        "message-id",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
    }
)


def build_mime(email: OutgoingEmail, *, now: float | None = None) -> bytes:
    """The message as bytes: headers, then multipart/alternative (text, HTML) or one part."""
    head = [
        "Date: " + _date(int(time.time() if now is None else now)),
        _address_header("From", email.from_name, email.from_addr),
        _address_header("To", email.to_name, email.to_addr),
    ]
    if email.reply_to:
        head.append("Reply-To: " + mime_address(email.reply_to))
    head.append(_unstructured("Subject", clean_text(email.subject)))
    head.append("Message-ID: " + normalize_message_id(email.message_id))
    head.extend(_extra_header(name, value) for name, value in email.headers)
    head.append("MIME-Version: 1.0")
    parts = [
        (kind, *_body(content))
        for kind, content in (("plain", email.text), ("html", email.html))
        if content
    ]
    if len(parts) < 2:
        kind, cte, body = parts[0] if parts else ("plain", "7bit", b"")
        head.append(f'Content-Type: text/{kind}; charset="utf-8"')
        head.append("Content-Transfer-Encoding: " + cte)
        ending = b"" if body.endswith(b"\r\n") else b"\r\n"
        return ("\r\n".join(head) + "\r\n\r\n").encode("ascii") + body + ending
    boundary = _boundary(email.message_id, [body for _, cte, body in parts if cte == "7bit"])
    head.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
    out = [("\r\n".join(head) + "\r\n\r\n").encode("ascii")]
    for kind, cte, body in parts:
        out.append(
            f'--{boundary}\r\nContent-Type: text/{kind}; charset="utf-8"\r\n'
            f"Content-Transfer-Encoding: {cte}\r\n\r\n".encode("ascii")
        )
        out.append(body + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode("ascii"))
    return b"".join(out)


def clean_text(value: str) -> str:
    """A subject or display name on one line: runs of control characters become one space."""
    return _CONTROLS.sub(" ", value).strip()


def normalize_message_id(message_id: str) -> str:
    value = message_id.strip()
    if not value.startswith("<"):
        value = f"<{value}>"
    if not _MESSAGE_ID.match(value):
        raise ValueError(f"not a valid Message-ID: {message_id!r}")
    return value


@lru_cache(maxsize=4)
def _date(second: int) -> str:
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(second))


@lru_cache(maxsize=1024)
def mime_address(addr: str) -> str:
    """The address as it may appear in a header or an SMTP command; an IDN domain in ASCII."""
    local, at, domain = addr.strip().rpartition("@")
    if at and domain and not domain.isascii():
        domain = domain.encode("idna").decode("ascii")
    value = f"{local}@{domain}"
    if not _ADDRESS.match(value):
        raise ValueError("not a plain ASCII address (quoted or non-ASCII local parts are refused)")
    return value


def _address_header(name: str, display: str, addr: str) -> str:
    address = mime_address(addr)
    display = " ".join(clean_text(display).split())
    if not display:
        return f"{name}: {address}"
    if display.isascii() and "=?" not in display:
        quoted = _quoted(display)
        if len(name) + len(quoted) + len(address) + 5 <= MAX_LINE:
            return f"{name}: {quoted} <{address}>"
    return _fold_tokens(name, [*_phrase(display, MAX_LINE - len(name) - 2), f"<{address}>"])


def _phrase(display: str, room: int) -> list[str]:
    """A display name as atoms, quoted words and encoded-words, as mail clients write one.

    ASCII words stay readable; each run of non-ASCII words becomes encoded-words with the
    spaces inside the run encoded too (RFC 2047 decoders drop the space between two
    encoded-words; Python's modern parser keeps it, so a run too long for one encoded-word
    reads with an extra space there in Python only).
    """
    tokens: list[str] = []
    run: list[str] = []
    for word in display.split(" "):
        if word.isascii() and "=?" not in word:
            if run:
                tokens.extend(_encoded_words(" ".join(run), room))
                run = []
            tokens.append(word if _ATOM.match(word) else _quoted(word))
        else:
            run.append(word)
    if run:
        tokens.extend(_encoded_words(" ".join(run), room))
    return tokens


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _fold_tokens(name: str, tokens: list[str]) -> str:
    lines = [f"{name}: {tokens[0]}"]
    for token in tokens[1:]:
        if len(lines[-1]) + 1 + len(token) <= MAX_LINE:
            lines[-1] += " " + token
        else:
            lines.append(" " + token)
    return "\r\n".join(lines)


def _unstructured(name: str, value: str) -> str:
    """A header of free text, folded at spaces when ASCII, else as encoded-words."""
    line = f"{name}: {value}"
    if value.isascii() and "=?" not in value:
        if len(line) <= MAX_LINE:
            return line
        folded = _fold_at_spaces(line)
        if folded is not None:
            return folded
    return f"{name}: " + "\r\n ".join(_encoded_words(value, MAX_LINE - len(name) - 2))


def _fold_at_spaces(line: str) -> str | None:
    """Break before a space so each line fits; None when a word is too long even alone."""
    lines: list[str] = []
    current = ""
    for word in line.split(" "):
        if len(word) > MAX_WORD - 1:
            return None
        if current and word and len(current) + 1 + len(word) > MAX_LINE:
            lines.append(current)
            current = " " + word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    return "\r\n".join(lines)


def _encoded_words(text: str, first_room: int) -> list[str]:
    """UTF-8 base64 encoded-words that never split a character; the first fits first_room."""
    data = text.encode("utf-8")
    words = []
    start = 0
    room = max(first_room, 24)
    while start < len(data):
        size = (min(room, _ENCODED_WORD_MAX) - _ENCODED_WORD_OVERHEAD) // 4 * 3
        end = min(start + size, len(data))
        while end < len(data) and data[end] & 0xC0 == 0x80:
            end -= 1  # a continuation byte: cut before the character it belongs to
        words.append("=?utf-8?b?" + base64.b64encode(data[start:end]).decode("ascii") + "?=")
        start = end
        room = MAX_LINE - 1
    return words or ["=?utf-8?b??="]


def _extra_header(name: str, value: str) -> str:
    if not _HEADER_NAME.match(name) or name.lower() in _OWN_HEADERS:
        raise ValueError(f"refused extra header name {name!r}")
    if _CONTROLS.search(value):
        raise ValueError(f"control characters in the value of {name}")
    return _unstructured(name, value.strip())


def _body(content: str) -> tuple[str, bytes]:
    """(Content-Transfer-Encoding, encoded body with CRLF line ends)."""
    text = content.replace("\r\n", "\n").replace("\r", "\n")
    data = text.encode("utf-8")
    if (
        data.isascii()
        and max(map(len, data.split(b"\n"))) <= MAX_WORD
        and not _unsafe_line_start(data)
    ):
        return "7bit", data.replace(b"\n", b"\r\n")
    # Quoted-printable writes each non-ASCII byte as 3 characters; base64 costs 4/3 of all.
    if (len(data) - len(text)) * 9 <= len(data):
        qp = binascii.b2a_qp(data, istext=True)
        if _unsafe_line_start(qp):
            qp = (b"\n" + qp).replace(b"\n.", b"\n=2E").replace(b"\nFrom ", b"\n=46rom ")[1:]
        if max(map(len, qp.split(b"\n"))) <= 76:
            return "quoted-printable", qp.replace(b"\n", b"\r\n")
    return "base64", base64.encodebytes(data).rstrip(b"\n").replace(b"\n", b"\r\n")


def _unsafe_line_start(data: bytes) -> bool:
    return data.startswith((b".", b"From ")) or b"\n." in data or b"\nFrom " in data


def _boundary(message_id: str, raw_bodies: list[bytes]) -> str:
    # "=_" cannot occur in quoted-printable or base64; raw 7bit text is checked.
    seed = message_id.encode("utf-8", "surrogatepass")
    for attempt in range(100):
        digest = hashlib.blake2b(seed + bytes([attempt]), digest_size=12).hexdigest()
        boundary = "=_" + digest
        marker = b"--" + boundary.encode("ascii")
        if not any(marker in body for body in raw_bodies):
            return boundary
    raise ValueError("no boundary found that the body does not contain")
