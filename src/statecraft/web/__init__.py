"""The web app: build a scenario, run it and read it in the browser (``statecraft serve``).

Needs the extra ``statecraft[web]`` (FastAPI, Uvicorn). :func:`create_app` makes the app;
the JSON API lives under ``/api/`` and is described at ``/openapi.json``.
"""

from statecraft.web.app import Limits, create_app

__all__ = ["Limits", "create_app"]
