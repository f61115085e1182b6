"""Local stand-ins for chat-platform APIs: record every call, answer like the real one."""

from __future__ import annotations

import json
import threading
from email.parser import BytesParser
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Dict, List
from urllib.parse import parse_qs


class FakeApi:
    """An HTTP server on 127.0.0.1 that records calls as (method, params) and answers with `reply`."""

    def __init__(self, reply: Callable[[str, Dict], Dict]):
        self.calls: List[tuple] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's naming)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body = raw.decode(errors="replace")
                kind = self.headers.get("Content-Type", "")
                if "json" in kind:
                    params = json.loads(body or "{}")
                elif "multipart/form-data" in kind:
                    params = _multipart(kind, raw)
                elif "octet-stream" in kind or "\ufffd" in body:  # raw bytes (Slack's upload URL)
                    params = {"bytes": len(raw)}
                else:
                    params = {k: v[0] for k, v in parse_qs(body).items()}
                path, _, query = self.path.partition("?")
                method = path.rstrip("/").rsplit("/", 1)[-1]
                params = {**{k: v[0] for k, v in parse_qs(query).items()}, **params}
                with fake._lock:
                    fake.calls.append((method, params))
                payload = json.dumps(reply(method, params)).replace("{fake_url}", fake.url).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def calls_of(self, method: str) -> List[Dict]:
        with self._lock:
            return [params for m, params in self.calls if m == method]

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()

    def close(self) -> None:
        self.server.shutdown()


def _multipart(content_type: str, raw: bytes) -> Dict:
    """The fields of a multipart upload; a file is recorded by name, type and size."""
    message = BytesParser(policy=default).parsebytes(f"Content-Type: {content_type}\r\n\r\n".encode() + raw)
    params = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        filename = part.get_filename()
        data = part.get_payload(decode=True) or b""
        if filename:
            params[name] = {"filename": filename, "content_type": part.get_content_type(), "size": len(data)}
            params[name + ":bytes"] = data
        else:
            params[name] = data.decode(errors="replace")
    return params


TELEGRAM_BOT_NAME = "bfs_test_bot"
TELEGRAM_TOKEN = "123456:TEST-token-not-real"
TELEGRAM_SECRET_TOKEN = "test-webhook-secret-not-real"


def telegram_reply(method: str, params: Dict) -> Dict:
    if method == "getMe":
        return {"ok": True, "result": {"id": 1, "is_bot": True, "first_name": "BFS", "username": TELEGRAM_BOT_NAME}}
    if method in ("sendMessage", "editMessageText", "sendPhoto", "sendDocument"):
        return {
            "ok": True,
            "result": {
                "message_id": 99,
                "date": 0,
                "text": params.get("text", ""),
                "chat": {"id": int(params.get("chat_id", 0)), "type": "private"},
            },
        }
    return {"ok": True, "result": True}


SLACK_TOKEN = "xoxb-test-token-not-real"
SLACK_SIGNING_SECRET = "test-signing-secret-not-real"


def slack_reply(method: str, params: Dict) -> Dict:
    # Slack's file upload: ask for an upload URL, send the bytes there, complete it.
    if method == "files.getUploadURLExternal":
        return {"ok": True, "upload_url": "{fake_url}/upload/F0TEST", "file_id": "F0TEST"}
    if method == "files.completeUploadExternal":
        return {"ok": True, "files": [{"id": "F0TEST", "title": params.get("files", "")}]}
    if method == "chat.postMessage":
        return {
            "ok": True,
            "channel": params.get("channel"),
            "ts": "1700000000.000200",
            "message": {"text": params.get("text", ""), "type": "message"},
        }
    return {"ok": True}
