"""The web API's routes, by what they serve; :func:`statecraft.web.app.create_app` includes
them in this order."""

from statecraft.web.routes import compute, levers, runs, scenarios, server, studies

__all__ = ["compute", "levers", "runs", "scenarios", "server", "studies"]
