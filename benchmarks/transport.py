"""Email transport benchmark: building MIME and sending it over one SMTP connection.

    uv run python benchmarks/transport.py                 # 50,000 messages
    uv run python benchmarks/transport.py --messages 10000

Needs Postfix's smtp-sink on the PATH (Debian: apt-get install postfix); installs nothing.
Measures, for personalised 2-3 KB messages (text + HTML, some non-ASCII names):
1. MIME building: dearly's build_mime against Django's EmailMultiAlternatives(...).message()
   (Django on a sample, it is slow);
2. sending over one loopback connection to smtp-sink: dearly's pipelined client (building the
   MIME as it goes) against smtplib's lock-step sendmail of bytes built beforehand.
"""

import argparse
import os
import shutil
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dearly.settings")

import django

django.setup()

from django.core.mail import EmailMultiAlternatives  # noqa: E402

from dearly.delivery.transports.config import SmtpSettings  # noqa: E402
from dearly.delivery.transports.message import Outcome, OutgoingEmail  # noqa: E402
from dearly.delivery.transports.mime import build_mime  # noqa: E402
from dearly.delivery.transports.smtp import SmtpConnection  # noqa: E402

NAMES = ["Ada Lovelace", "José Müller", "Zoë Martin", "山田 太郎", "Grace Hopper", "Søren Berg"]
PARAGRAPH = (
    '<p style="margin:0 0 12px;font-family:Helvetica,Arial,sans-serif;font-size:15px;'
    'color:#333">This week at Café Bleu: fresh bread from 7am, a new autumn menu and a table '
    "by the window kept for you on Friday evening.</p>\n"
)
BATCH = 500


def messages(count: int) -> list[OutgoingEmail]:
    out = []
    for n in range(count):
        name = NAMES[n % len(NAMES)]
        html = (
            f"<html><body><p>Dear {name},</p>\n"
            + PARAGRAPH * 6
            + (f'<p><a href="https://cafe.example/u/{n:08d}">Unsubscribe</a></p></body></html>\n')
        )
        text = f"Dear {name},\n\n" + "This week at Café Bleu: fresh bread from 7am, a new "
        text += "autumn menu and a table by the window kept for you on Friday evening.\n" * 4
        out.append(
            OutgoingEmail(
                message_id=f"<{n:08d}.bench@cafe.example>",
                from_addr="hello@cafe.example",
                from_name="Café Bleu",
                to_addr=f"guest{n}@example.com",
                to_name=name,
                subject=f"{name.split()[0]}, your table is waiting",
                text=text,
                html=html,
                headers=(
                    ("List-Unsubscribe", f"<https://cafe.example/u/{n:08d}>"),
                    ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
                ),
            )
        )
    return out


def django_message(email: OutgoingEmail) -> bytes:
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.text,
        from_email=f"{email.from_name} <{email.from_addr}>",
        to=[f"{email.to_name} <{email.to_addr}>"],
        headers={"Message-ID": email.message_id, **dict(email.headers)},
    )
    message.attach_alternative(email.html, "text/html")
    return message.message().as_bytes()


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def timed(fn: object, *args: object) -> float:
    start = time.perf_counter()
    fn(*args)  # type: ignore[operator]
    return time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_sink(port: int) -> subprocess.Popen[bytes]:
    sink = shutil.which("smtp-sink") or "/usr/sbin/smtp-sink"
    if not Path(sink).exists():
        sys.exit("smtp-sink not found: apt-get install postfix (it is not a Python package)")
    user = ["-u", "nobody"] if os.geteuid() == 0 else []
    process = subprocess.Popen([sink, *user, f"127.0.0.1:{port}", "256"])
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    sys.exit("smtp-sink did not start")


def send_pipelined(port: int, emails: list[OutgoingEmail]) -> None:
    client = SmtpConnection(SmtpSettings(host="127.0.0.1", port=port, security="off"))
    for start in range(0, len(emails), BATCH):
        receipts = client.send(emails[start : start + BATCH])
        assert all(r.outcome == Outcome.SENT for r in receipts), receipts[0]
    assert client.pipelining, "smtp-sink should offer PIPELINING"
    client.close()


def send_smtplib(port: int, emails: list[OutgoingEmail], raws: list[bytes]) -> None:
    with smtplib.SMTP("127.0.0.1", port) as client:
        for email, raw in zip(emails, raws, strict=True):
            client.sendmail(email.from_addr, [email.to_addr], raw)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--django-sample", type=int, default=5_000)
    args = parser.parse_args()
    emails = messages(args.messages)
    sizes = [len(build_mime(e)) for e in emails[:100]]
    print(f"{args.messages:,} messages, {min(sizes):,}-{max(sizes):,} bytes each")

    ours = rate(len(emails), timed(lambda: [build_mime(e) for e in emails]))
    sample = emails[: args.django_sample]
    theirs = rate(len(sample), timed(lambda: [django_message(e) for e in sample]))
    print(f"MIME build   dearly build_mime      {ours:>10,.0f} msgs/s")
    print(f"MIME build   Django .message()      {theirs:>10,.0f} msgs/s  (sample {len(sample):,})")
    print(f"MIME build   ratio                  {ours / theirs:>10.1f}x")

    port = free_port()
    sink = start_sink(port)
    try:
        pipelined = rate(len(emails), timed(send_pipelined, port, emails))
        raws = [build_mime(e) for e in emails]
        lockstep = rate(len(emails), timed(send_smtplib, port, emails, raws))
    finally:
        sink.terminate()
        sink.wait()
    print(f"SMTP send    dearly pipelined       {pipelined:>10,.0f} msgs/s  (builds MIME too)")
    print(f"SMTP send    smtplib lock-step      {lockstep:>10,.0f} msgs/s  (bytes pre-built)")
    print(f"SMTP send    ratio                  {pipelined / lockstep:>10.1f}x")


if __name__ == "__main__":
    main()
