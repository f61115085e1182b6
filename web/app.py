"""The website: a landing page with the chat widget, served by Sanic.

The page, its script and the Socket.IO client (installed from npm into
web/node_modules) are all served from here, so nothing loads from the internet.
The widget talks to the Rasa server's socket.io channel directly; that channel
accepts this site's origin only (WEB_ORIGINS, see credentials.yml).

A report for the doctor is downloaded from here: /reports/<token>?conversation=<id>
hands out the file the assistant left in the database for that conversation,
once (followup/store.py); any other request gets the same 404.

    python -m web.app --host 127.0.0.1 --port 8080 --rasa-port 5005
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
SOCKET_IO_CLIENT = HERE / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js"
# What /reports/ hands out: only the report's two files, whatever else the table holds.
REPORT_TYPES = {"application/pdf", "application/fhir+json"}
REPORT_GONE = (
    "This report link has expired or was already used. Ask the assistant for the report again "
    "and it will make a new one."
)


def socket_url_for(request: Request, rasa_url: Optional[str], rasa_port: int) -> str:
    """Where the browser finds the Rasa server: configured, the page's own origin
    (`same-origin`, behind a proxy such as the cluster's nginx), or this host on the Rasa port."""
    if rasa_url == "same-origin":
        return f"{request.scheme}://{request.host}"
    if rasa_url:
        return rasa_url.rstrip("/")
    host = urlsplit(f"//{request.host}").hostname or "localhost"
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    return f"{request.scheme}://{host}:{rasa_port}"


def content_security_policy(socket_url: str) -> str:
    """Only this site's own files; network traffic only to the Rasa server."""
    parts = urlsplit(socket_url)
    ws_scheme = "wss" if parts.scheme == "https" else "ws"
    return "; ".join(
        [
            "default-src 'self'",
            f"connect-src 'self' {socket_url} {ws_scheme}://{parts.netloc}",
            "img-src 'self' data:",
            "style-src 'self'",
            "script-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


def create_app(
    rasa_url: Optional[str] = None, rasa_port: int = 5005, socket_io_client: Path = SOCKET_IO_CLIENT
) -> Sanic:
    app = Sanic("bfs_assistant_web")
    app.config.ACCESS_LOG = False  # request lines are not needed, and never any chat text

    @app.route("/", methods=["GET", "HEAD"])
    async def index(request: Request) -> HTTPResponse:
        return await response.file(STATIC / "index.html", mime_type="text/html; charset=utf-8")

    @app.get("/config.json")
    async def config(request: Request) -> HTTPResponse:
        return response.json({"socketUrl": socket_url_for(request, rasa_url, rasa_port), "socketPath": "/socket.io/"})

    @app.get("/vendor/socket.io.min.js")
    async def socket_io(request: Request) -> HTTPResponse:
        if not socket_io_client.is_file():
            return response.text("socket.io-client is not installed: run `make install`", status=503)
        return await response.file(socket_io_client, mime_type="text/javascript; charset=utf-8")

    @app.get("/reports/<token:str>")
    async def report(request: Request, token: str) -> HTTPResponse:
        from followup import clock
        from followup.store import default_store

        conversation = request.args.get("conversation") or ""
        loop = asyncio.get_running_loop()
        found = await loop.run_in_executor(None, lambda: default_store().take_file(token, conversation, clock.now()))
        if found is None or found.mime_type not in REPORT_TYPES:
            return response.text(REPORT_GONE, status=404)
        return response.raw(
            found.data,
            content_type=found.mime_type,
            headers={"Content-Disposition": f'attachment; filename="{found.name}"', "Cache-Control": "no-store"},
        )

    @app.route("/health", methods=["GET", "HEAD"])
    async def health(request: Request) -> HTTPResponse:
        if not socket_io_client.is_file():
            return response.json(
                {"status": "error", "reason": "socket.io-client missing: run `make install`"}, status=503
            )
        return response.json({"status": "ok"})

    app.static("/static", str(STATIC), name="static")

    @app.on_response
    async def security_headers(request: Request, resp: HTTPResponse) -> None:
        resp.headers["Content-Security-Policy"] = content_security_policy(socket_url_for(request, rasa_url, rasa_port))
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers.setdefault("Cache-Control", "no-cache")

    return app


def main(argv: list) -> int:
    parser = argparse.ArgumentParser(description="Serve the assistant's web page.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument(
        "--rasa-port", type=int, default=5005, help="the Rasa server's port, on the host the page was loaded from"
    )
    parser.add_argument(
        "--rasa-url",
        default=None,
        help="the Rasa server's public URL when it is not the page's host on --rasa-port; "
        "`same-origin` when a proxy serves both (e.g. the cluster's nginx)",
    )
    args = parser.parse_args(argv)
    if not SOCKET_IO_CLIENT.is_file():
        print("error: web/node_modules is missing; run `make install`", file=sys.stderr)
        return 1
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    app = create_app(args.rasa_url, args.rasa_port)
    app.run(host=args.host, port=args.port, access_log=False, motd=False, workers=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
