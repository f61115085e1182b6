"""Socket.IO channel for the website widget.

Rasa's own channel opens the socket to every origin (`cors_allowed_origins=[]`
turns python-engineio's origin check off), calls `enter_room` without awaiting
it (rasa#13027: with python-socketio >= 5.10 no reply is ever delivered), and
accepts a message for any session id a socket names. This one checks the
Origin header against the configured origins, awaits `enter_room` when the
library makes it a coroutine, and takes a socket's messages only for the
session that socket asked for. Messages pass channels/guard.py first (length,
control characters, floods). The events and their payloads are Rasa's, so any
widget written for Rasa's socket.io channel works with it.
"""

from __future__ import annotations

import inspect
import logging
import uuid
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Union

from rasa.core.channels.channel import UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOOutput
from rasa.core.channels.socketio import SocketIOInput as RasaSocketIOInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels import guard
from patches import speedups

logger = logging.getLogger(__name__)


def parse_origins(value: Union[None, str, List[str]]) -> List[str]:
    """`"http://a, http://b"` or a YAML list, without blanks or trailing slashes."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    return [item.strip().rstrip("/") for item in items if item and item.strip()]


class SocketIOInput(RasaSocketIOInput):
    """Rasa's socket.io channel with an origin allow-list and one session per socket."""

    @classmethod
    def name(cls) -> Text:
        return "socketio"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "SocketIOInput":
        credentials = credentials or {}
        channel = super().from_credentials(credentials)
        channel.cors_allowed_origins = parse_origins(credentials.get("cors_allowed_origins"))
        if not channel.cors_allowed_origins:
            # An empty list would switch python-engineio's origin check off.
            raise ValueError("socketio: set cors_allowed_origins (the website's origins)")
        return channel

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=self.cors_allowed_origins)
        webhook = SocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        speedups.freeze_after_start(webhook)
        self.sio = sio
        # The session each connected socket asked for (socket id -> session id).
        sessions: Dict[Text, Text] = {}

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: Text, environ: Dict, auth: Optional[Dict]) -> bool:
            if not self.jwt_key:
                return True
            token = (auth or {}).get("token")
            return bool(token and decode_bearer_token(token, self.jwt_key, self.jwt_algorithm))

        @sio.on("disconnect", namespace=self.namespace)
        async def disconnect(sid: Text) -> None:
            sessions.pop(sid, None)

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: Text, data: Optional[Dict]) -> None:
            requested = (data or {}).get("session_id") if isinstance(data, dict) else None
            session_id = requested if _valid_session_id(requested) else uuid.uuid4().hex
            sessions[sid] = session_id
            if self.session_persistence:
                entered = sio.enter_room(sid, session_id, namespace=self.namespace)
                if inspect.isawaitable(entered):
                    await entered
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)

        pending = guard.PendingMessages()

        async def tell(sid: Text, text: Text) -> None:
            await sio.emit(self.bot_message_evt, {"text": text}, room=sid, namespace=self.namespace)

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: Text, data: Any) -> None:
            text, problem = guard.check_message(data.get("message") if isinstance(data, dict) else None)
            if problem:
                logger.warning("socketio: ignored a message: %s", problem)
                return
            if self.session_persistence:
                session_id = sessions.get(sid)
                if not session_id or data.get("session_id") != session_id:
                    logger.warning("socketio: ignored a message for a session this socket did not open")
                    return
                sender_id = session_id
            else:
                sender_id = sid
            if guard.too_long(text):
                await tell(sid, guard.TOO_LONG_REPLY)
                return
            if not pending.try_start(sender_id):
                await tell(sid, guard.BUSY_REPLY)
                return
            metadata = data.get(self.metadata_key)
            try:
                await on_new_message(
                    UserMessage(
                        text,
                        SocketIOOutput(sio, self.bot_message_evt),
                        sender_id,
                        input_channel=self.name(),
                        metadata=metadata if isinstance(metadata, dict) else {},
                    )
                )
            finally:
                pending.finish(sender_id)

        return webhook


def _valid_session_id(value: Any) -> bool:
    """A client-chosen id must look like the random ids we hand out."""
    return isinstance(value, str) and 16 <= len(value) <= 64 and value.isalnum()
