"""Analyses built on the models' forecasts: who wins and who loses."""

from statecraft.analysis.winners import ActorGain, Winners, gains, winners

__all__ = ["ActorGain", "Winners", "gains", "winners"]
