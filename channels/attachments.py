"""Images and files the actions send, in a form every channel can deliver.

The diary's chart is sent as Rasa's `image` with a `data:image/png;base64,...`
URL (the website shows it as is; Telegram and Slack upload the bytes, as they
cannot fetch a data URL), and a file ("export my data") as the custom payload
`{"data": {"file": {"name", "mime_type", "data_base64"}}}`: a download on the
website, a document on Telegram, a file upload on Slack, JSON over REST. (The
`data` wrapper is what Rasa's socket.io output emits as the event's payload.)
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any, Dict, NamedTuple, Optional

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
