"""A real SMTP server on 127.0.0.1 for the mailing tests (aiosmtpd), and what it received."""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

# The server refuses this recipient (550), as a real one refuses an unknown mailbox.
REFUSED = "refuse@example.org"


@dataclass
class Mailbox:
    """What the server accepted: one (recipients, message) per letter."""

    letters: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    port: int = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address == REFUSED:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.letters.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpt, m in self.letters if address in rcpt]


def body(message: EmailMessage) -> str:
    """The body as written (SMTP carries it with CRLF line ends)."""
    return str(message.get_content()).replace("\r\n", "\n")


def free_port() -> int:
    """A port nobody listens on (now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server() -> Iterator[Mailbox]:
    """An SMTP server on 127.0.0.1 for the block; stopped after it."""
    box = Mailbox(port=free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()
