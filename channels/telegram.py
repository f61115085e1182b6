"""Telegram, fixed for servers without internet at start-up and for tests.

Rasa 3.6's connector calls the Telegram API while the server starts
(`asyncio.run(set_webhook(...))`): offline that fails, and online the aiogram
session it creates belongs to a loop that is closed right after, so every later
message fails with HTTP 500. This subclass never calls the API at start-up
unless `set_webhook_on_startup` is true (and then inside the server's own
loop), lets aiogram create its session lazily in the server's loop, and takes
the API base URL from the credentials so tests can point it at a fake API.
The diary's chart and exported files are uploaded (channels/attachments.py).

It also answers every button press (`answerCallbackQuery`, or the person's
app shows a spinner on the button), tells someone who sends a sticker, photo
or voice note that only text is read (the stock connector stays silent), and,
with `secret_token`, rejects updates that do not carry Telegram's
`X-Telegram-Bot-Api-Secret-Token` header: without it anyone who knows the URL
could post messages in any chat's name.
"""

from __future__ import annotations

import hmac
import io
import logging
from typing import Any, Awaitable, Callable, Dict, Optional, Text

from aiogram.bot.api import TELEGRAM_PRODUCTION, Methods, TelegramAPIServer
from aiogram.bot.bot import Bot
from aiogram.types import InputFile
from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.telegram import TelegramInput as RasaTelegramInput
from rasa.core.channels.telegram import TelegramOutput as RasaTelegramOutput
from sanic import Blueprint, response
from sanic.request import Request

from channels.attachments import file_to_send, from_data_url

logger = logging.getLogger(__name__)

TEXT_ONLY_REPLY = (
    "Sorry, I can only read text. Please type your question, for example "
    '"what causes muscle twitching?", or tap one of the buttons.'
)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class TelegramOutput(RasaTelegramOutput):
    def __init__(self, access_token: Optional[Text], api_base_url: Optional[Text] = None) -> None:
        server = TelegramAPIServer.from_base(api_base_url) if api_base_url else TELEGRAM_PRODUCTION
        Bot.__init__(self, access_token, server=server)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        # The diary's chart is a data URL: Telegram is sent the bytes (it fetches only http URLs).
        attached = from_data_url(image, stem="twitch-diary")
        if attached is None:
            await super().send_image_url(recipient_id, image, **kwargs)
            return
        await self.send_photo(recipient_id, InputFile(io.BytesIO(attached.data), filename=attached.name))

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        attached, instead = await file_to_send(json_message, recipient_id)
        if instead:
            await self.send_text_message(recipient_id, instead)
        elif attached is None:
            await super().send_custom_json(recipient_id, json_message, **kwargs)
        else:
            await self.send_document(recipient_id, InputFile(io.BytesIO(attached.data), filename=attached.name))


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
            secret_token=credentials.get("secret_token") or None,
        )

    def __init__(
        self,
        access_token: Optional[Text],
        verify: Optional[Text],
        webhook_url: Optional[Text],
        debug_mode: bool = False,
        api_base_url: Optional[Text] = None,
        set_webhook_on_startup: bool = False,
        secret_token: Optional[Text] = None,
    ) -> None:
        super().__init__(access_token, verify, webhook_url, debug_mode=debug_mode)
        self.api_base_url = api_base_url
        self.set_webhook_on_startup = set_webhook_on_startup
        self.secret_token = secret_token

    def get_output_channel(self) -> TelegramOutput:
        # No API call here: this runs outside the server's event loop.
        return TelegramOutput(self.access_token, self.api_base_url)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        blueprint = super().blueprint(on_new_message)
        out = self.get_output_channel()

        @blueprint.middleware("request")
        async def before_the_dialogue(request: Request) -> Optional[response.HTTPResponse]:
            if request.method != "POST" or not request.path.rstrip("/").endswith("/webhook"):
                return None
            if self.secret_token and not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), self.secret_token):
                logger.warning("Telegram: refused an update without the webhook's secret token")
                return response.text("forbidden", status=403)
            update = request.json if isinstance(request.json, dict) else {}
            try:
                query = update.get("callback_query")
                if isinstance(query, dict) and query.get("id"):
                    await out.answer_callback_query(query["id"])
                message = update.get("message")
                if isinstance(message, dict) and _without_text(message):
                    await out.send_message(message["chat"]["id"], TEXT_ONLY_REPLY)
                    return response.text("success")
            except Exception as error:  # the API may refuse (e.g. a press too old to answer)
                logger.warning("Telegram API call failed: %s", error)
            return None

        if self.set_webhook_on_startup and self.webhook_url:

            @blueprint.listener("after_server_start")
            async def set_webhook(app, _loop) -> None:
                payload = {"url": self.webhook_url}
                if self.secret_token:
                    payload["secret_token"] = self.secret_token
                ok = await out.request(Methods.SET_WEBHOOK, payload)
                logger.info("Telegram webhook %s", "set" if ok else "NOT set")

        return blueprint


def _without_text(message: Dict[str, Any]) -> bool:
    """A sticker, photo, file or voice note in a private chat: nothing the assistant can read."""
    chat = message.get("chat")
    return (
        isinstance(chat, dict)
        and "id" in chat
        and chat.get("type") == "private"
        and not message.get("text")
        and not message.get("location")
        and not (message.get("from") or {}).get("is_bot")
    )
