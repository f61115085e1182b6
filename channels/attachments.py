"""Images and files the actions send, in a form every channel can deliver.

The diary's chart is sent as Rasa's `image` with a `data:image/png;base64,...`
URL (the website shows it as is; Telegram and Slack upload the bytes, as they
cannot fetch a data URL), and a file ("export my data") as the custom payload
`{"data": {"file": {"name", "mime_type", "data_base64"}}}`: a download on the
website, a document on Telegram, a file upload on Slack, JSON over REST. (The
`data` wrapper is what Rasa's socket.io output emits as the event's payload.)

A report for the doctor is never carried in the message (it would stay in the
conversation's events): its file waits in the database under a one-time token
(`{"data": {"file": {"name", "mime_type", "url", "token"}}}`). The website and
REST clients fetch it from the web page's link; Telegram and Slack take it here
(`waiting_file`) and send the bytes.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import re
from typing import Any, Dict, NamedTuple, Optional, Tuple

DATA_URL = re.compile(r"^data:(?P<mime>[\w.+-]+/[\w.+-]+);base64,(?P<data>[A-Za-z0-9+/=\s]+)$")
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "application/json": "json", "application/pdf": "pdf"}


class Attachment(NamedTuple):
    name: str
    mime_type: str
    data: bytes


def from_data_url(url: str, stem: str = "image") -> Optional[Attachment]:
    """The bytes of a base64 data URL, or None for an ordinary URL."""
    match = DATA_URL.match(url or "")
    if not match:
        return None
    try:
        data = base64.b64decode(match["data"], validate=False)
    except (binascii.Error, ValueError):
        return None
    mime = match["mime"]
    return Attachment(f"{stem}.{EXTENSIONS.get(mime, 'bin')}", mime, data)


def file_in(json_message: Dict[str, Any]) -> Optional[Attachment]:
    """The file of a custom payload `{"data": {"file": {...}}}`, or None."""
    file = ((json_message or {}).get("data") or {}).get("file")
    if not isinstance(file, dict) or not file.get("data_base64"):
        return None
    try:
        data = base64.b64decode(file["data_base64"])
    except (binascii.Error, ValueError, TypeError):
        return None
    return Attachment(str(file.get("name") or "file"), str(file.get("mime_type") or "application/octet-stream"), data)


# Said in the chat when a report's file was already taken or its window closed.
GONE = "Sorry, that report is no longer available. Ask me for the report again and I'll make a new one."


def waiting_token(json_message: Dict[str, Any]) -> Optional[str]:
    """The token of a file that waits in the database (a report), or None."""
    file = ((json_message or {}).get("data") or {}).get("file")
    token = file.get("token") if isinstance(file, dict) else None
    return token if isinstance(token, str) and token else None


async def waiting_file(token: str, person: str) -> Optional[Attachment]:
    """Takes the file waiting under `token` for this conversation (once), or None."""
    from followup import clock
    from followup.store import default_store

    loop = asyncio.get_running_loop()
    found = await loop.run_in_executor(None, lambda: default_store().take_file(token, person, clock.now()))
    return Attachment(found.name, found.mime_type, found.data) if found else None


async def file_to_send(json_message: Dict[str, Any], person: str) -> Tuple[Optional[Attachment], Optional[str]]:
    """What a chat app is sent for a custom payload: (the file, None), (None, a text
    to send instead, when a report is gone), or (None, None) when it holds no file."""
    token = waiting_token(json_message)
    if token is None:
        return file_in(json_message), None
    attached = await waiting_file(token, person)
    return (attached, None) if attached else (None, GONE)
