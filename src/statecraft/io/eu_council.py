"""Council of the EU voting weights by treaty era, for capability rules on DEU tables.

Every figure is sourced in ``docs/research/eu-capability-weights.md``:

- pre-Nice (EU-15, to 30 April 2004): 87 votes, qualified majority 62;
- transitional (EU-25 with the old weights, 1 May to 31 October 2004): 124 votes, QM 88
  (2003 Act of Accession, Art. 26);
- Nice (1 November 2004 to 31 October 2014): 321 votes for the EU-25, 345 for the EU-27
  (Bulgaria and Romania from 1 January 2007), 352 for the EU-28 (Croatia from 1 July 2013;
  Act of Accession of Croatia, Art. 20, OJ L 112, 24.4.2012);
- Lisbon (from 1 November 2014): a double majority of 55% of the states representing 65% of
  the population. There are no weights; a state's share of the EU population, as fixed by
  the Council each year (Council Decision (EU, Euratom) 2015/2393 for 2016, as reported by
  Agence Europe, bulletin 11449), stands in for it. Only the 2016 shares were found, and
  they are used for every Lisbon-era date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

__all__ = ["ACCESSION", "ERAS", "Era", "era_on", "member_on"]

_D = dt.date

#: Accession dates of the states that joined after 1995 (the others were members throughout
#: the DEU data). Source: the Acts of Accession of 2003, 2005 and 2012.
ACCESSION: Final = MappingProxyType(
    {
        **{s: _D(2004, 5, 1) for s in ("cy", "cz", "ee", "hu", "lv", "lt", "mt", "pl", "sk", "si")},
        "bu": _D(2007, 1, 1),
        "ro": _D(2007, 1, 1),
        "cr": _D(2013, 7, 1),
    }
)


def member_on(state: str, date: dt.date) -> bool:
    """Whether a member state (DEU code) belonged to the EU on ``date``."""
    joined = ACCESSION.get(state)
    return joined is None or date >= joined


@dataclass(frozen=True)
class Era:
    """A Council voting regime: its name, when it applied and each state's weight."""

    name: str
    start: dt.date | None
    end: dt.date | None  # inclusive; None = still in force
    weights: MappingProxyType[str, float]
    unit: str

    def weight(self, state: str, date: dt.date) -> float:
        """The state's weight on ``date``; 0 for a state that was not then a member."""
        return self.weights.get(state, 0.0) if member_on(state, date) else 0.0

    def total(self, date: dt.date) -> float:
        """The sum of the weights of the states that were members on ``date``."""
        return sum(self.weight(s, date) for s in self.weights)


_EU15 = {"de": 10, "fr": 10, "uk": 10, "it": 10, "es": 8, "nl": 5, "be": 5, "el": 5, "pt": 5}
_EU15 |= {"se": 4, "at": 4, "dk": 3, "fi": 3, "ie": 3, "lu": 2}
_TRANSITIONAL = _EU15 | {"pl": 8, "cz": 5, "hu": 5, "sk": 3, "lt": 3, "si": 3, "lv": 3, "ee": 3}
_TRANSITIONAL |= {"cy": 2, "mt": 2}
_NICE = {"de": 29, "fr": 29, "uk": 29, "it": 29, "es": 27, "pl": 27, "ro": 14, "nl": 13}
_NICE |= {"be": 12, "el": 12, "cz": 12, "pt": 12, "hu": 12, "se": 10, "at": 10, "bu": 10}
_NICE |= {"dk": 7, "fi": 7, "sk": 7, "ie": 7, "cr": 7, "lt": 7, "si": 4, "lv": 4, "ee": 4}
_NICE |= {"cy": 4, "lu": 4, "mt": 3}
_LISBON_2016 = {"de": 15.93, "fr": 13.04, "uk": 12.73, "it": 12.07, "es": 9.12, "pl": 7.47}
_LISBON_2016 |= {"ro": 3.90, "nl": 3.37, "be": 2.21, "el": 2.13, "cz": 2.05, "pt": 2.04}
_LISBON_2016 |= {"hu": 1.94, "se": 1.92, "at": 1.69, "bu": 1.42, "dk": 1.11, "fi": 1.08}
_LISBON_2016 |= {"sk": 1.06, "ie": 0.91, "cr": 0.83, "lt": 0.57, "si": 0.41, "lv": 0.39}
_LISBON_2016 |= {"ee": 0.26, "cy": 0.17, "lu": 0.11, "mt": 0.08}


def _era(
    name: str, start: dt.date | None, end: dt.date | None, w: Mapping[str, float], unit: str
) -> Era:
    return Era(name, start, end, MappingProxyType({k: float(v) for k, v in w.items()}), unit)


#: The regimes in time order.
ERAS: Final = (
    _era("pre-Nice", None, _D(2004, 4, 30), _EU15, "votes (of 87)"),
    _era("transitional", _D(2004, 5, 1), _D(2004, 10, 31), _TRANSITIONAL, "votes (of 124)"),
    _era("Nice", _D(2004, 11, 1), _D(2014, 10, 31), _NICE, "votes (of 321, 345 or 352)"),
    _era("Lisbon", _D(2014, 11, 1), None, _LISBON_2016, "% of the EU population (2016)"),
)


def era_on(date: dt.date) -> Era:
    """The voting regime in force on ``date``."""
    for era in ERAS:
        if era.end is None or date <= era.end:
            return era
    raise AssertionError("unreachable: the last era has no end")  # pragma: no cover
