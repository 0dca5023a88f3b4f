"""``statecraft serve``: the web app."""

from __future__ import annotations

import os
import threading
from typing import Annotated, Any

import typer
from rich.console import Console

from statecraft import open_store
from statecraft.api import StoreError, default_location
from statecraft.cli.options import NoStoreOpt, StoreOpt
from statecraft.cli.util import fail

GRACEFUL_SECONDS = 2


def serve_cmd(
    host: Annotated[
        str, typer.Option(help="The address to listen on; 127.0.0.1 serves this machine only.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="The port.", min=1, max=65535)] = 8765,
    token: Annotated[
        str | None,
        typer.Option(
            envvar="STATECRAFT_TOKEN",
            help="A secret every API request must carry (Authorization: Bearer TOKEN); "
            "required to listen beyond this machine.",
            show_default=False,
        ),
    ] = None,
    store: StoreOpt = None,
    no_store: NoStoreOpt = False,
) -> None:
    """Serve the web app: build, run and read scenarios in the browser (needs statecraft\\[web])."""
    local = host in ("127.0.0.1", "localhost", "::1")
    if token is None and os.environ.get("STATECRAFT_TOKEN") is not None:
        token = os.environ["STATECRAFT_TOKEN"]  # set but empty, which the option ignores
    if token is not None and not token.strip():
        raise fail(
            "the token is empty: give a secret (--token or STATECRAFT_TOKEN), or none to "
            "serve this machine only"
        )
    if not local and not token:
        raise fail(
            f"listening on {host} opens the app to other machines: give a token "
            "(--token or STATECRAFT_TOKEN) that every request must carry"
        )
    try:
        import uvicorn

        from statecraft.web import create_app
    except ImportError:
        raise fail("the web app needs statecraft[web]: pip install 'statecraft[web]'") from None
    if not no_store:  # a store that cannot record is found now, not after a forecast
        try:
            with open_store(store or default_location()) as opened:
                opened.check_writable()
        except StoreError as exc:
            raise fail(
                f"{exc}: the server could not record its runs (or give --no-store)"
            ) from None
    err = Console(stderr=True, markup=False, highlight=False, soft_wrap=True)
    if not local:
        err.print(
            f"warning: listening on {host}: other machines can reach the app; every API "
            "request must carry the token"
        )
    err.print(f"Statecraft on http://{host}:{port}/ (the API: /api/, described at /openapi.json)")
    app = create_app(token=token, store=store, record=not no_store)

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            super().handle_exit(sig, frame)
            # Stop the workers now: requests computing end at once (503), studies are
            # cancelled, and the server is gone well within five seconds.
            threading.Thread(target=app.state.web.stop, daemon=True).start()

    Server(
        uvicorn.Config(
            app,
            host=host,
            port=port,
            log_level="warning",
            # A request that still has not ended is cancelled after this long.
            timeout_graceful_shutdown=GRACEFUL_SECONDS,
        )
    ).run()
