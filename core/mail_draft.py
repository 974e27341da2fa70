"""Open an approved draft in the user's mail app: an .eml draft file or a mailto: link.

Nothing is sent by the product. The .eml is an RFC 5322 message made with Python's
`email` package, with `X-Unsent: 1` so Outlook (and others that honour it) open it as a
draft ready to edit and send; Thunderbird and Apple Mail open it as a message to forward
or copy from.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formataddr, formatdate, make_msgid
from pathlib import Path
from urllib.parse import quote

from core.contacts import Contact
from core.errors import InputError
from core.kinds import Kind
from core.models import Sender


def subject_for(kind: Kind, contact: Contact, sender: Sender | None = None) -> str:
    """A plain subject line using only facts from the contact and sender fields."""
    if kind is Kind.FOLLOW_UP:
        return f"Great to meet you at {contact.event}" if contact.event else "Great to meet you"
    if kind is Kind.INTRO:
        return f"Hello from {sender.name}" if sender and sender.name else "Hello"
    return f"Thank you, {contact.first_name}"


def draft_message(
    text: str,
    *,
    subject: str,
    to_name: str = "",
    to_email: str = "",
    from_name: str = "",
    from_email: str = "",
) -> EmailMessage:
    message = EmailMessage()
    if from_email:
        message["From"] = formataddr((from_name, from_email))
    if to_email:
        message["To"] = formataddr((to_name, to_email))
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="outreach.invalid")
    message["X-Unsent"] = "1"  # open as a draft, not as a received message
    message.set_content(text)
    return message


def write_eml(path: Path, message: EmailMessage) -> Path:
    """Write with CRLF line ends (RFC 5322). Raises InputError when the path is unusable."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path} is a folder: give a file name like message.eml")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(eml_bytes(message))
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}") from None
    return path


def eml_bytes(message: EmailMessage) -> bytes:
    """The message as an .eml file's bytes: CRLF line ends, as RFC 5322 wants."""
    return message.as_bytes(policy=SMTP)


def mailto_link(to_email: str, subject: str, body: str) -> str:
    """A mailto: URL (RFC 6068) with subject and body percent-encoded, line ends as CRLF."""
    body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    query = f"subject={quote(subject, safe='')}&body={quote(body, safe='')}"
    return f"mailto:{quote(to_email, safe='@')}?{query}"
