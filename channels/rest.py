"""The REST channel, hardened: POST /webhooks/rest/webhook {"sender": "...", "message": "..."}.

Rasa's own answers a body without a message or with a number as the sender
with HTTP 500, sends any length of text through NLU, queues any number of
messages from one sender, and logs the person's message when a turn fails.
This one answers bad JSON and wrong types with 400 and a reason, long messages
and floods with a reply the person can read (channels/guard.py), and logs no
message text. Replies have Rasa's format: a list of {"recipient_id", "text", ...}.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Awaitable, Callable, Text

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import guard
from patches import speedups

logger = logging.getLogger(__name__)

USAGE = 'send JSON like {"sender": "some-id", "message": "hello"}'
SORRY = "Sorry, something went wrong on my side. Please send your message again."


def _bad_request(reason: str) -> HTTPResponse:
    return response.json({"error": reason, "usage": USAGE}, status=400)


def _reply(sender: str, text: str, status: int = 200) -> HTTPResponse:
    return response.json([{"recipient_id": sender, "text": text}], status=status)


class RestInput(InputChannel):
    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("custom_webhook_RestInput", __name__)
        speedups.freeze_after_start(webhook)
        pending = guard.PendingMessages()

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # Sanic raises on a body that is not JSON (or not UTF-8)
                return _bad_request("the body is not valid JSON")
            if not isinstance(body, dict):
                return _bad_request("the body must be a JSON object")
            sender, problem = guard.check_sender(body.get("sender"))
            if problem:
                return _bad_request(problem)
            text, problem = guard.check_message(body.get("message"))
            if problem:
                return _bad_request(problem)
            metadata = body.get("metadata")
            if metadata is not None and not isinstance(metadata, dict):
                return _bad_request("'metadata' must be a JSON object")

            if guard.too_long(text):
                return _reply(sender, guard.TOO_LONG_REPLY)
            if not pending.try_start(sender):
                return _reply(sender, guard.BUSY_REPLY, status=429)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, collector, sender, input_channel=self.name(), metadata=metadata))
            except asyncio.CancelledError:
                logger.warning("REST: the client went away before the reply")
                raise
            except Exception as error:
                logger.error("REST: handling a message failed (%s)", type(error).__name__)
                logger.debug("REST: traceback", exc_info=True)
                return response.json(collector.messages + [{"recipient_id": sender, "text": SORRY}])
            finally:
                pending.finish(sender)
            return response.json(collector.messages)

        return webhook
