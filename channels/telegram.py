"""Telegram, fixed for servers without internet at start-up and for tests.

Rasa 3.6's connector calls the Telegram API while the server starts
(`asyncio.run(set_webhook(...))`): offline that fails, and online the aiogram
session it creates belongs to a loop that is closed right after, so every later
message fails with HTTP 500. This subclass never calls the API at start-up
unless `set_webhook_on_startup` is true (and then inside the server's own
loop), lets aiogram create its session lazily in the server's loop, and takes
the API base URL from the credentials so tests can point it at a fake API.
"""
from __future__ import annotations

import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from aiogram.bot.api import TELEGRAM_PRODUCTION, TelegramAPIServer
from aiogram.bot.bot import Bot
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from sanic import Blueprint

logger = logging.getLogger(__name__)


class TelegramOutput(RasaTelegramOutput):
    def __init__(self, access_token: Optional[Text], api_base_url: Optional[Text] = None) -> None:
        server = TelegramAPIServer.from_base(api_base_url) if api_base_url else TELEGRAM_PRODUCTION
        Bot.__init__(self, access_token, server=server)


class TelegramInput(RasaTelegramInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        if not credentials:
            cls.raise_missing_credentials_exception()
        return cls(
            credentials.get("access_token"),
            credentials.get("verify"),
            credentials.get("webhook_url"),
            api_base_url=credentials.get("api_base_url") or None,
            set_webhook_on_startup=str(credentials.get("set_webhook_on_startup", "")).lower() in ("1", "true", "yes"),
        )

    def __init__(self, access_token: Optional[Text], verify: Optional[Text], webhook_url: Optional[Text],
                 debug_mode: bool = False, api_base_url: Optional[Text] = None,
                 set_webhook_on_startup: bool = False) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode=debug_mode)
        self.api_base_url = api_base_url
        self.set_webhook_on_startup = set_webhook_on_startup

    def get_output_channel(self) -> TelegramOutput:
        # No API call here: this runs outside the server's event loop.
        return TelegramOutput(self.access_token, self.api_base_url)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        if self.set_webhook_on_startup and self.webhook_url:
            @blueprint.listener("after_server_start")
            async def set_webhook(app, _loop) -> None:
                ok = await self.get_output_channel().set_webhook(self.webhook_url)
                logger.info("Telegram webhook %s", "set" if ok else "NOT set")
        return blueprint
