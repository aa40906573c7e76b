"""The MIME bytes we write, parsed back by Python's email package, say exactly what we meant."""

import email
import email.policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import formataddr

import pytest

from dearly.delivery.transports.message import OutgoingEmail
from dearly.delivery.transports.mime import build_mime

NAMES = ["Ada Lovelace", "José Müller", "Straße & Söhne", "山田 太郎", "Zoë 🎉", 'Ada "Al" O\'Neil']
SUBJECTS = [
    "Your table is ready",
    "Café crème — 20 % off",
    "Große Straße, ß",
    "日本語の件名",
    "🎉 Birthday treat inside 🎂👩‍👩‍👧",
    "Re: [Offer] (today) a=b; c:d, e.f",
]


def make(**overrides: object) -> OutgoingEmail:
    values: dict[str, object] = {
        "message_id": "<m1.abc@shop.example>",
        "from_addr": "hello@shop.example",
        "from_name": "The Shop",
        "to_addr": "ada@example.com",
        "to_name": "Ada Lovelace",
        "subject": "Hello",
        "text": "Hi Ada,\nsee you soon.\n",
        "html": "<p>Hi Ada,</p><p>see you soon.</p>\n",
    }
    values.update(overrides)
    return OutgoingEmail(**values)  # type: ignore[arg-type]


def parse(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=email.policy.default)  # type: ignore[return-value]


def parts(message: EmailMessage) -> tuple[str, str]:
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None and html is not None
    return (
        plain.get_content().replace("\r\n", "\n"),
        html.get_content().replace("\r\n", "\n"),
    )


def lines(raw: bytes) -> list[bytes]:
    assert raw.endswith(b"\r\n")
    body = raw[:-2]
    assert b"\n" not in body.replace(b"\r\n", b""), "a bare LF"
    assert b"\r" not in body.replace(b"\r\n", b""), "a bare CR"
    return body.split(b"\r\n")


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("subject", SUBJECTS)
def test_names_and_subjects_round_trip_exactly(name: str, subject: str) -> None:
    sent = make(from_name=name, to_name=name, subject=subject)
    got = parse(build_mime(sent))
    assert got["Subject"] == subject
    assert got["From"].addresses[0].display_name == name
    assert got["From"].addresses[0].addr_spec == "hello@shop.example"
    assert got["To"].addresses[0].display_name == name
    assert got["To"].addresses[0].addr_spec == "ada@example.com"
    assert all(len(line) <= 78 for line in lines(build_mime(sent)))


def test_every_header_and_both_parts_round_trip() -> None:
    unsubscribe = (
        "<https://shop.example/u/abc123>, <mailto:unsubscribe@shop.example?subject=abc123>"
    )
    sent = make(
        reply_to="owner@shop.example",
        headers=(
            ("List-Unsubscribe", unsubscribe),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ),
        text="Grüße, Ada!\nÀ bientôt.\n",
        html="<p>Grüße, <b>Ada</b>!</p>\n<p>À bientôt.</p>\n",
    )
    raw = build_mime(sent, now=1_767_225_600)  # 2026-01-01 00:00:00 UTC
    got = parse(raw)
    assert got["Date"] == "Thu, 01 Jan 2026 00:00:00 +0000"
    assert got["Date"].datetime.isoformat() == "2026-01-01T00:00:00+00:00"
    assert got["Message-ID"] == "<m1.abc@shop.example>"
    assert got["MIME-Version"] == "1.0"
    assert got["Reply-To"].addresses[0].addr_spec == "owner@shop.example"
    assert got["List-Unsubscribe"] == unsubscribe
    assert got["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert got.get_content_type() == "multipart/alternative"
    assert parts(got) == (sent.text, sent.html)
    assert [p.get_content_charset() for p in got.iter_parts()] == ["utf-8", "utf-8"]
    assert got.defects == [] and all(p.defects == [] for p in got.iter_parts())


def test_a_long_subject_folds_into_lines_of_at_most_78_characters() -> None:
    ascii_subject = " ".join(["Our spring menu has arrived with new dishes"] * 5)
    for subject in (ascii_subject, "Straße " * 30, "日本語の件名です" * 12, "🎉" * 50):
        raw = build_mime(make(subject=subject))
        header = raw.split(b"\r\nMessage-ID:")[0].split(b"Subject:")[1]
        assert header.count(b"\r\n ") >= 2, "the subject was not folded"
        assert all(len(line) <= 78 for line in lines(raw))
        assert parse(raw)["Subject"] == subject.strip()


def test_a_word_too_long_for_one_line_stays_whole() -> None:
    url = "https://shop.example/" + "a" * 120
    got = parse(build_mime(make(subject=f"Open {url} now")))
    assert got["Subject"] == f"Open {url} now"


def test_body_lines_never_start_with_a_dot_or_from_so_smtp_needs_no_stuffing() -> None:
    text = ".\n..two dots\n.one\nFrom the kitchen\nFrom\n" + "x" * 75 + ".y\n" + "é" * 40 + "\n"
    html = "<p>\n.hidden\nFrom here</p>\n"
    raw = build_mime(make(text=text, html=html))
    for line in lines(raw):
        assert not line.startswith(b"."), line
        assert not line.startswith(b"From "), line
    assert parts(parse(raw)) == (text, html)


def test_very_long_lines_are_encoded_and_come_back_whole() -> None:
    text = "word " * 2000 + "\n" + "ü" * 3000 + "\n"
    html = "<td>" + "x" * 5000 + "</td>\n"
    raw = build_mime(make(text=text, html=html))
    assert max(len(line) for line in lines(raw)) <= 78
    assert parts(parse(raw)) == (text, html)


def test_short_ascii_bodies_are_sent_as_they_are() -> None:
    raw = build_mime(make(text="Hi Ada,\nsee you.\n", html="<p>Hi</p>\n"))
    assert raw.count(b"Content-Transfer-Encoding: 7bit") == 2
    assert b"\r\nHi Ada,\r\nsee you.\r\n" in raw


GERMAN = "<p>Grüße aus Köln: wir freuen uns auf Ihren nächsten Besuch bei uns.</p>\n"


def test_mostly_non_latin_text_is_base64_and_latin_text_quoted_printable() -> None:
    raw = build_mime(make(text="こんにちは、山田様。\n" * 5, html=GERMAN))
    plain, html = parse(raw).iter_parts()
    assert plain["Content-Transfer-Encoding"] == "base64"
    assert html["Content-Transfer-Encoding"] == "quoted-printable"
    assert parts(parse(raw)) == ("こんにちは、山田様。\n" * 5, GERMAN)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", "Hello\r\nBcc: victim@example.com"),
        ("subject", "Hello\nBcc: victim@example.com"),
        ("subject", "Hello\rBcc: victim@example.com"),
        ("from_name", "Shop\r\nBcc: victim@example.com"),
        ("to_name", "Ada\nBcc: victim@example.com\n\n<script>"),
        ("to_name", "Ada\u2028Bcc: victim@example.com"),
        ("subject", "Hi é\r\nBcc: victim@example.com"),
    ],
)
def test_line_breaks_in_a_subject_or_name_never_create_a_header(field: str, value: str) -> None:
    raw = build_mime(make(**{field: value}))
    got = parse(raw)
    assert got["Bcc"] is None
    assert b"\r\nBcc:" not in raw
    headers = [line.split(b":")[0] for line in raw.split(b"\r\n\r\n")[0].split(b"\r\n")]
    assert b"Bcc" not in headers
    assert got.defects == []
    written = str(got["Subject"]) if field == "subject" else str(got["From"]) + str(got["To"])
    assert "Bcc: victim@example.com" in written  # kept as text, on the one line


@pytest.mark.parametrize(
    "overrides",
    [
        {"to_addr": "ada@example.com\r\nBcc: victim@example.com"},
        {"to_addr": "ada@example.com>, <victim@example.com"},
        {"from_addr": "not an address"},
        {"reply_to": "a@b.example\nX: y"},
        {"message_id": "<abc>\r\nBcc: x@y"},
        {"headers": (("Bcc", "victim@example.com"),)},
        {"headers": (("X-Note\r\nBcc", "x"),)},
        {"headers": (("X-Note", "a\r\nBcc: victim@example.com"),)},
    ],
)
def test_bad_addresses_ids_and_extra_headers_are_refused(overrides: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        build_mime(make(**overrides))


def test_an_international_domain_is_written_in_ascii() -> None:
    got = parse(build_mime(make(to_addr="jose@bücher.example")))
    assert got["To"].addresses[0].addr_spec == "jose@xn--bcher-kva.example"


def test_a_long_non_ascii_name_decodes_as_rfc_2047_says() -> None:
    # Python's modern parser keeps the space between two encoded-words in a display name;
    # RFC 2047 (and mail clients, and Python's own decode_header) drop it.
    name = "山田太郎様と東京都渋谷区の素晴らしいお客様の皆様へ"
    raw = build_mime(make(to_name=name))
    to = email.message_from_bytes(raw, policy=email.policy.compat32)["To"]
    assert str(make_header(decode_header(to))) == f"{name} <ada@example.com>"
    assert all(len(line) <= 78 for line in lines(raw))


def test_text_only_and_html_only_messages_have_one_part() -> None:
    text_only = parse(build_mime(make(html="")))
    html_only = parse(build_mime(make(text="")))
    assert text_only.get_content_type() == "text/plain"
    assert text_only.get_content().replace("\r\n", "\n") == "Hi Ada,\nsee you soon.\n"
    assert html_only.get_content_type() == "text/html"


def test_the_same_message_gives_the_same_bytes() -> None:
    assert build_mime(make(), now=1_000) == build_mime(make(), now=1_000)


def test_a_message_id_without_brackets_gets_them() -> None:
    assert (
        parse(build_mime(make(message_id="x1@shop.example")))["Message-ID"] == "<x1@shop.example>"
    )


@pytest.mark.parametrize("index", range(len(SUBJECTS)))
def test_it_says_what_pythons_email_package_says_for_the_same_content(index: int) -> None:
    sent = make(
        subject=SUBJECTS[index],
        from_name=NAMES[index],
        to_name=NAMES[-index - 1],
        text=f"Hello {NAMES[index]},\n.{SUBJECTS[index]}\nFrom us\n",
        html=f"<p>Hello {NAMES[index]}</p>\n<p>{SUBJECTS[index]}</p>\n",
        headers=(("List-Unsubscribe", "<https://shop.example/u/1>"),),
    )
    reference = EmailMessage()
    reference["From"] = formataddr((sent.from_name, sent.from_addr))
    reference["To"] = formataddr((sent.to_name, sent.to_addr))
    reference["Subject"] = sent.subject
    reference["Message-ID"] = sent.message_id
    reference["List-Unsubscribe"] = "<https://shop.example/u/1>"
    reference.set_content(sent.text)
    reference.add_alternative(sent.html, subtype="html")
    theirs = parse(reference.as_bytes(policy=email.policy.SMTP))
    ours = parse(build_mime(sent))
    for header in ("From", "To", "Subject", "Message-ID", "List-Unsubscribe"):
        assert str(ours[header]) == str(theirs[header]), header
    assert parts(ours) == parts(theirs)
