"""A real SMTP server for the e-mail digest test (crates/api/tests/it/mail.rs), never a mock.

Usage: python3 smtp_server.py OUT_DIR [--starttls CERT KEY]
Listens on 127.0.0.1 on a free port (requiring STARTTLS with the certificate when asked), prints `port N` once it accepts connections, and writes every message it
receives to OUT_DIR/NNNN.json: the envelope, the decoded subject and text body (MIME transfer encodings undone by
Python's `email` package), and the raw message. Exits 3 when aiosmtpd is missing (`pip install aiosmtpd`).
"""

import asyncio
import json
import os
import ssl
import sys

try:
    from aiosmtpd.smtp import SMTP
except ImportError:
    print("aiosmtpd is missing: pip install aiosmtpd", file=sys.stderr, flush=True)
    sys.exit(3)

from email import message_from_bytes, policy


class Keep:
    """Writes each message to a numbered JSON file, atomically (the test reads it as soon as SMTP answers 250)."""

    def __init__(self, out):
        self.out = out
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # A mailbox that does not exist, for the test of a message refused for good.
        if address.startswith("nobody@"):
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        msg = message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        part = msg.get_body(preferencelist=("plain",))
        record = {
            "tls": session.ssl is not None,
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(msg["From"]),
            "to": str(msg["To"]),
            "subject": str(msg["Subject"]),
            "date": str(msg["Date"]),
            "content_type": msg.get_content_type(),
            "charset": part.get_content_charset() if part is not None else None,
            "transfer_encoding": str(part["Content-Transfer-Encoding"]) if part is not None else None,
            "body": part.get_content() if part is not None else "",
            "raw": (envelope.original_content or envelope.content).decode("utf-8", "replace"),
        }
        self.count += 1
        path = os.path.join(self.out, f"{self.count:04}.json")
        with open(path + ".tmp", "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False)
        os.replace(path + ".tmp", path)
        return "250 Message accepted for delivery"


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    handler = Keep(out)
    tls = {}
    if sys.argv[2:3] == ["--starttls"]:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(sys.argv[3], sys.argv[4])
        tls = {"tls_context": context, "require_starttls": True}
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(
        loop.create_server(lambda: SMTP(handler, hostname="smtp.test", decode_data=False, **tls), "127.0.0.1", 0)
    )
    print(f"port {server.sockets[0].getsockname()[1]}", flush=True)
    loop.run_forever()


if __name__ == "__main__":
    main()
