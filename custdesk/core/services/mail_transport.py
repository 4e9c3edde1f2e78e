"""Sending letters through the firm's SMTP server (smtplib), and its password in the OS keyring.

The server, port, security, login and sender are firm settings (``smtp_*``); the password is never in
the base: it lives in the operating system's keyring (Windows Credential Manager, macOS Keychain, the
Secret Service on Linux) under :data:`KEYRING_SERVICE`.
"""

from __future__ import annotations

import contextlib
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Protocol

from custdesk.core.errors import CustDeskError
from custdesk.i18n import _

KEYRING_SERVICE = "CustDesk SMTP"
SECURITY = ("starttls", "ssl", "none")
TIMEOUT_SECONDS = 30


class MailServerError(CustDeskError):
    """The server cannot be reached or refused the login; the message says which."""


class DeliveryError(Exception):
    """One letter was not accepted. ``server_down``: no letter can go now (the rest fail too)."""

    def __init__(self, reason: str, *, server_down: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.server_down = server_down


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how the firm's letters are sent."""

    host: str
    port: int = 587
    security: str = "starttls"  # starttls | ssl | none
    user: str = ""
    sender: str = ""  # the From address
    sender_name: str = ""  # the firm's name shown beside it

    @classmethod
    def from_firm(cls, conf: dict[str, Any]) -> SmtpSettings:
        """The settings kept in the base (``custdesk.core.services.settings``)."""
        return cls(
            host=str(conf.get("smtp_host", "")),
            port=int(conf.get("smtp_port", 587)),
            security=str(conf.get("smtp_security", "starttls")),
            user=str(conf.get("smtp_user", "")),
            sender=str(conf.get("smtp_sender", "")),
            sender_name=str(conf.get("firm_name", "")),
        )


class MailTransport(Protocol):
    """What sends one letter (SMTP here; a test may count letters instead)."""

    def send(self, message: EmailMessage, to: str) -> None:
        """Send ``message`` to ``to``; raises :class:`DeliveryError` when it is not accepted."""

    def close(self) -> None:
        """Say goodbye to the server."""


# --- the password -----------------------------------------------------------------------------------------


def _keyring_user(settings: SmtpSettings) -> str:
    return f"{settings.user}@{settings.host}"


def smtp_password(settings: SmtpSettings) -> str:
    """The password kept in the OS keyring for the settings' login ("" when none, or no keyring)."""
    if not settings.user:
        return ""
    import keyring
    from keyring.errors import KeyringError

    try:
        return keyring.get_password(KEYRING_SERVICE, _keyring_user(settings)) or ""
    except KeyringError:
        return ""


def store_smtp_password(settings: SmtpSettings, password: str) -> None:
    """Keep ``password`` in the OS keyring for the settings' login ("" forgets it).

    Raises:
        MailServerError: this computer has no keyring to keep it in.
    """
    import keyring
    from keyring.errors import KeyringError, PasswordDeleteError

    try:
        if password:
            keyring.set_password(KEYRING_SERVICE, _keyring_user(settings), password)
        else:
            with contextlib.suppress(PasswordDeleteError):
                keyring.delete_password(KEYRING_SERVICE, _keyring_user(settings))
    except KeyringError as exc:
        raise MailServerError(
            _("The password cannot be kept: this computer has no password store ({reason}).").format(
                reason=exc
            )
        ) from None


# --- SMTP ---------------------------------------------------------------------------------------------------


def _answer(code: int, text: bytes | str) -> str:
    message = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return f"{code} {' '.join(message.split())}"


class SmtpTransport:
    """Letters through one SMTP connection, opened at the first letter and again after a drop."""

    def __init__(self, settings: SmtpSettings, password: str = "") -> None:
        self.settings = settings
        self.password = password
        self._smtp: smtplib.SMTP | None = None

    def connect(self) -> smtplib.SMTP:
        """The open connection (opened, secured and logged in when there is none).

        Raises:
            MailServerError: the server cannot be reached, or refused the security or the login.
        """
        if self._smtp is not None:
            return self._smtp
        s = self.settings
        if not s.host:
            raise MailServerError(_("No mail server is set: fill in Firm settings → E-mail."))
        where = f"{s.host}:{s.port}"
        try:
            if s.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT_SECONDS)
                if s.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if s.user:
                smtp.login(s.user, self.password)
        except smtplib.SMTPAuthenticationError as exc:
            raise MailServerError(
                _("The mail server {server} refused the login {user}: {answer}").format(
                    server=where, user=s.user, answer=_answer(exc.smtp_code, exc.smtp_error)
                )
            ) from None
        except smtplib.SMTPNotSupportedError:
            raise MailServerError(
                _("The mail server {server} does not offer a secure connection (STARTTLS).").format(
                    server=where
                )
            ) from None
        except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
            reason = (
                exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc) or type(exc).__name__
            )
            if isinstance(exc, socket.timeout):
                reason = _("no answer")
            raise MailServerError(
                _("The mail server {server} cannot be reached: {reason}").format(server=where, reason=reason)
            ) from None
        self._smtp = smtp
        return smtp

    def send(self, message: EmailMessage, to: str) -> None:
        try:
            smtp = self.connect()
        except MailServerError as exc:
            raise DeliveryError(str(exc), server_down=True) from None
        try:
            refused = smtp.send_message(message, to_addrs=[to])
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = exc.recipients.get(to, (550, b""))
            raise DeliveryError(
                _("The server refused the address: {answer}").format(answer=_answer(code, text))
            ) from None
        except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
            self._reset()
            raise DeliveryError(
                _("The server refused the letter: {answer}").format(
                    answer=_answer(exc.smtp_code, exc.smtp_error)
                )
            ) from None
        except (smtplib.SMTPException, OSError) as exc:
            self.close()
            raise DeliveryError(
                _("The connection to the mail server broke: {reason}").format(
                    reason=str(exc) or type(exc).__name__
                )
            ) from None
        if to in refused:
            code, text = refused[to]
            raise DeliveryError(
                _("The server refused the address: {answer}").format(answer=_answer(code, text))
            )

    def _reset(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.rset()
            except (smtplib.SMTPException, OSError):
                self.close()

    def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


def check_connection(settings: SmtpSettings, password: str) -> None:
    """Connect, secure, log in and say goodbye: the Firm settings' test button.

    Raises:
        MailServerError: what went wrong, in words.
    """
    transport = SmtpTransport(settings, password)
    try:
        transport.connect()
    finally:
        transport.close()


__all__ = [
    "KEYRING_SERVICE",
    "SECURITY",
    "DeliveryError",
    "MailServerError",
    "MailTransport",
    "SmtpSettings",
    "SmtpTransport",
    "check_connection",
    "smtp_password",
    "store_smtp_password",
]
