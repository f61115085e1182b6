"""Check-ins that come due: asked on the chat apps that let the bot write first.

Registered in credentials.yml like any channel, so it runs inside every Rasa
server: after the server starts, a task looks every `poll_seconds` for due
check-ins of Telegram and Slack conversations in the database
(followup/store.py), claims them (each exactly once, however many servers
look), and sends each as the message `/check_in` of that conversation, with
the person's own channel as the output: the assistant's question arrives in
their chat as a bot message, and the conversation knows it asked. Nothing is
kept in memory, so a restart loses nothing and asks nothing twice.

On the website the bot cannot write first: the widget of a remembered visitor
sends `/check_in` when the page opens, and the action asks then.

Each round also drops the doctor's reports whose download window has closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request

from followup import clock
from followup.checkin import PUSH_CHANNELS

logger = logging.getLogger(__name__)

CHECK_IN = "/check_in"


class CheckinScheduler(InputChannel):
    """Asks due check-ins on Telegram and Slack (no webhook of its own but /health)."""

    @classmethod
    def name(cls) -> Text:
        return "checkins"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        credentials = credentials or {}
        return cls(poll_seconds=float(credentials.get("poll_seconds") or 60))

    def __init__(self, poll_seconds: float = 60) -> None:
        self.poll_seconds = poll_seconds
        self.worker = f"{socket.gethostname()}:{os.getpid()}"
        self.store = None
        self.asked = 0
        self._task: Optional[asyncio.Task] = None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = Blueprint("checkins", __name__)

        @blueprint.route("/health", methods=["GET"])
        async def health(request: Request) -> response.HTTPResponse:
            return response.json({"status": "ok", "asked": self.asked, "poll_seconds": self.poll_seconds})

        @blueprint.listener("after_server_start")
        async def start(app, loop) -> None:
            self._task = loop.create_task(self._run(app, on_new_message))

        @blueprint.listener("before_server_stop")
        async def stop(app, _loop) -> None:
            if self._task is not None:
                self._task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await self._task

        return blueprint

    async def _run(self, app, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> None:
        from followup.store import FollowupStore

        loop = asyncio.get_running_loop()
        while True:
            try:
                if self.store is None:
                    self.store = await loop.run_in_executor(None, FollowupStore.from_endpoints)
                await self.ask_due(app, on_new_message)
                # Reports not fetched in their window are not kept (followup/store.py).
                await loop.run_in_executor(None, lambda: self.store.drop_expired_files(clock.now()))
            except asyncio.CancelledError:
                raise
            except Exception:  # a database or chat API hiccup: try again next round
                logger.exception("Check-ins: a round failed; trying again in %.0f s", self.poll_seconds)
            await asyncio.sleep(self.poll_seconds)

    async def ask_due(self, app, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> int:
        """One round: claims what is due and asks it. Returns how many were asked."""
        loop = asyncio.get_running_loop()
        channels = {c.name(): c for c in getattr(app.ctx, "input_channels", []) if c.name() in PUSH_CHANNELS}
        if not channels:
            return 0
        due = await loop.run_in_executor(
            None, lambda: self.store.claim_due(clock.now(), self.worker, channels=list(channels))
        )
        asked = 0
        for checkin in due:
            message = UserMessage(
                CHECK_IN,
                output_channel=channels[checkin.channel].get_output_channel(),
                sender_id=checkin.person,
                input_channel=checkin.channel,
                metadata={"checkin_id": checkin.id},
            )
            try:
                await on_new_message(message)
            except Exception:
                logger.exception("Check-ins: could not ask check-in %s; it stays due", checkin.id)
                await loop.run_in_executor(None, self.store.release, checkin.id)
                continue
            await loop.run_in_executor(None, self.store.mark_asked, checkin.id, clock.now())
            asked += 1
        self.asked += asked
        return asked
