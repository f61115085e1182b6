"""What any channel does with a message before the assistant sees it.

One place for the limits and the replies people get when they hit them, so
the REST and socket.io channels behave the same. Plain Python, no Rasa.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import Any, Optional, Tuple

MAX_MESSAGE_CHARS = 2000  # the widget's box allows as much; NLU time grows with length
MAX_SENDER_CHARS = 128
MAX_PENDING_PER_SENDER = 5  # messages of one sender waiting for their answer

TOO_LONG_REPLY = (
    f"That message is too long for me (over {MAX_MESSAGE_CHARS} characters). "
    "Could you tell me in a few sentences what worries you, or ask one question at a time?"
)
BUSY_REPLY = (
    "You're sending messages faster than I can answer. " "Please wait for my reply, then send your next message."
)

# C0 and C1 controls other than tab and newline; lone surrogates (invalid in UTF-8).
_UNWANTED = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """The message without control characters or broken UTF-16 halves, in NFC form."""
    text = _SURROGATE.sub("\ufffd", text)
    text = _UNWANTED.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))
    return unicodedata.normalize("NFC", text)


def check_sender(sender: Any) -> Tuple[Optional[str], Optional[str]]:
    """(sender id, None) when usable, else (None, what is wrong)."""
    if isinstance(sender, bool) or not isinstance(sender, (str, int)):
        return None, "'sender' must be a string"
    sender = str(sender)
    if not sender or len(sender) > MAX_SENDER_CHARS:
        return None, f"'sender' must be 1 to {MAX_SENDER_CHARS} characters"
    if clean_text(sender) != sender or not sender.strip() or any(c in sender for c in "\n\t"):
        return None, "'sender' must not contain control characters"
    return sender, None


def check_message(message: Any) -> Tuple[Optional[str], Optional[str]]:
    """(cleaned text, None) when usable, else (None, what is wrong). Length is checked apart."""
    if message is None:
        return None, "'message' is missing"
    if not isinstance(message, str):
        return None, "'message' must be a string"
    return clean_text(message), None


def too_long(text: str) -> bool:
    return len(text) > MAX_MESSAGE_CHARS


class PendingMessages:
    """Counts each sender's messages in progress, to turn a flood away early."""

    def __init__(self, limit: int = MAX_PENDING_PER_SENDER) -> None:
        self.limit = limit
        self._pending: Counter = Counter()

    def try_start(self, sender: str) -> bool:
        if self._pending[sender] >= self.limit:
            return False
        self._pending[sender] += 1
        return True

    def finish(self, sender: str) -> None:
        self._pending[sender] -= 1
        if self._pending[sender] <= 0:
            del self._pending[sender]
