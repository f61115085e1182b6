"""Slack, with retries that never duplicate a reply and a configurable API URL.

Rasa 3.6's connector already rejects unsigned or stale requests. This subclass
adds what a clinic needs on top:
- Slack re-sends an event it thinks failed (`X-Slack-Retry-Num`); any retry and
  any event already seen (by `event_id`, or a button press by its `action_ts`)
  is acknowledged without a second reply;
- buttons become Block Kit action blocks of at most 5 (the stock connector drops
  all buttons when there are more than 5);
- the Web API base URL comes from the credentials, so tests can use a fake.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.core.channels.slack import SlackBot as RasaSlackBot
from rasa.core.channels.slack import SlackInput as RasaSlackInput
from sanic import response
from sanic.request import Request
from slack_sdk.web.async_client import AsyncWebClient

from channels.attachments import file_to_send, from_data_url

logger = logging.getLogger(__name__)
BUTTONS_PER_BLOCK = 5
SEEN_EVENTS_KEPT = 1000


class SlackBot(RasaSlackBot):
    def __init__(
        self,
        token: Text,
        slack_channel: Optional[Text] = None,
        thread_id: Optional[Text] = None,
        proxy: Optional[Text] = None,
        api_base_url: Optional[Text] = None,
    ) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        if api_base_url:
            self.client = AsyncWebClient(token, proxy=proxy, base_url=api_base_url.rstrip("/") + "/")

    async def send_text_with_buttons(
        self, recipient_id: Text, text: Text, buttons: List[Dict[Text, Any]], **kwargs: Any
    ) -> None:
        recipient = self.slack_channel or recipient_id
        blocks = [{"type": "section", "text": {"type": "plain_text", "text": text}}]
        for start in range(0, len(buttons), BUTTONS_PER_BLOCK):
            blocks.append(
                {
                    "type": "actions",
                    "elements": [
                        {"type": "button", "text": {"type": "plain_text", "text": b["title"]}, "value": b["payload"]}
                        for b in buttons[start : start + BUTTONS_PER_BLOCK]
                    ],
                }
            )
        await self._post_message(channel=recipient, as_user=True, text=text, blocks=blocks)

    async def send_image_url(self, recipient_id: Text, image: Text, **kwargs: Any) -> None:
        # The diary's chart is a data URL, which Slack cannot show: it is uploaded as a file.
        attached = from_data_url(image, stem="twitch-diary")
        if attached is None:
            await super().send_image_url(recipient_id, image, **kwargs)
            return
        await self._upload(self.slack_channel or recipient_id, attached)

    async def send_custom_json(self, recipient_id: Text, json_message: Dict[Text, Any], **kwargs: Any) -> None:
        attached, instead = await file_to_send(json_message, recipient_id)
        if instead:
            await self.send_text_message(recipient_id, instead)
        elif attached is None:
            await super().send_custom_json(recipient_id, json_message, **kwargs)
        else:
            await self._upload(self.slack_channel or recipient_id, attached)

    async def _upload(self, channel: Text, attached) -> None:
        await self.client.files_upload_v2(
            channel=channel, file=attached.data, filename=attached.name, title=attached.name
        )


class SlackInput(RasaSlackInput):
    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> InputChannel:
        channel = super().from_credentials(credentials)
        channel.api_base_url = (credentials or {}).get("api_base_url") or None
        return channel

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_base_url: Optional[Text] = None
        self._seen: "OrderedDict[str, None]" = OrderedDict()

    def get_output_channel(self, channel: Optional[Text] = None, thread_id: Optional[Text] = None) -> OutputChannel:
        return SlackBot(self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_base_url)

    @staticmethod
    def _delivery_id(request: Request) -> Optional[str]:
        if request.headers.get("content-type") == "application/json":
            return (request.json or {}).get("event_id")
        try:
            payload = json.loads(request.form["payload"][0])
            action = (payload.get("actions") or [{}])[0]
            return f"{payload.get('user', {}).get('id')}:{action.get('action_ts')}"
        except (KeyError, ValueError, TypeError):
            return None

    def _first_delivery(self, request: Request) -> bool:
        key = self._delivery_id(request)
        if key is None:
            return True
        if key in self._seen:
            return False
        self._seen[key] = None
        while len(self._seen) > SEEN_EVENTS_KEPT:
            self._seen.popitem(last=False)
        return True

    async def process_message(
        self,
        request: Request,
        on_new_message: Callable[[UserMessage], Awaitable[Any]],
        text: Text,
        sender_id: Optional[Text],
        metadata: Optional[Dict],
    ) -> Any:
        if request.headers.get(self.retry_num_header) or not self._first_delivery(request):
            logger.info("Slack re-sent a delivery already handled; not replying twice")
            return response.text("", status=HTTPStatus.OK, headers={"X-Slack-No-Retry": "1"})
        return await super().process_message(request, on_new_message, text, sender_id, metadata)
