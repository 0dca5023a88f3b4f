"""The exchange model's ``protocol="decide"``: the rounds of exchanges as the decide
project's equal-gain model makes them (PyPI ``decide-exchange-model`` 2022.1.28, by J.
Draaijer with F. N. Stokman and J. Dijkstra), so that our model can be checked against its
recorded output (tests/data/decide/).

Written from a reading of decide's source as a specification; no code was taken from it.
docs/models/exchange.md states the protocol as equations. In short, on positions rescaled
to 0-100:

- Every candidate exchange of the round is priced at once, issue pairs in the scenario's
  order, then within a pair actors on the right of both outcomes with those on the left of
  both, then those left on the first issue and right on the second with the reverse, each
  in the actors' order.
- The candidate with the largest gain is made (the earlier in the list of equal gains:
  the list is sorted stably, again before each pick). Every remaining candidate that shares
  a supply position with it, or whose actors demand an issue on which it moved someone,
  is priced again from the moved positions; a candidate whose moves are no longer valid is
  dropped. This repeats until no candidate is left.
- An actor may trade again on a supply issue it has moved on, in the same direction; the
  outcome each candidate sees is the round's start, updated only by the moves that touched
  its own actors' demand issues ("updates"); demand positions stay as the round began.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_EVEN, Context, Decimal, localcontext
from typing import Any

import numpy as np

_MIN = 1e-10  # decide: a move or a gain this small is none
_SCALE = 100  # decide rescales every issue to 0-100
_ZERO = Decimal(0)
_FIXED_WEIGHT = 0.1  # decide: share of a move kept whatever the salience
_SALIENCE_WEIGHT = 0.4  # decide: further share kept by an actor that cares little
#: decide computes in Python's decimals with the default context: 28 digits, half-even.
#: Where two exchanges are priced the same way in exact arithmetic (capped by the same
#: actor's full move, say), which one decide makes first depends on the last digit of these
#: decimals; computing as it does makes the same choice (docs/models/exchange.md).
_CONTEXT = Context(prec=28, rounding=ROUND_HALF_EVEN)


def _dec(v: float) -> Decimal:
    """A float as the short decimal it was written as (0.65, not 0.6500000000000000222)."""
    return Decimal(repr(float(v)))


@dataclass
class _Side:
    """One actor of a candidate: the issue it supplies (moves on) and the one it demands."""

    actor: int
    supply: int
    demand: int
    x: Decimal  # its position on the supply issue, moved by exchanges made before
    start: Decimal  # its position on the supply issue at the round's start
    want: Decimal  # its position on the demand issue at the round's start
    moves: list[Decimal] = field(default_factory=list)
    move: Decimal = _ZERO
    y: Decimal = _ZERO


@dataclass
class _Candidate:
    i: _Side  # demands p, supplies q
    j: _Side  # demands q, supplies p
    updates: dict[int, dict[int, Decimal]] = field(default_factory=dict)
    shift_p: Decimal = _ZERO
    shift_q: Decimal = _ZERO
    gain: Decimal = _ZERO
    valid: bool = True


class _Round:
    """The round's fixed quantities: start positions, saliences, capabilities, and per issue
    the actors that take part and the sum of their weights (capability x salience)."""

    def __init__(
        self,
        x: list[list[Decimal]],
        s: list[list[Decimal]],
        c: list[list[Decimal]],
        present: np.ndarray,
    ):
        self.x, self.s, self.c = x, s, c
        n, e = present.shape
        self.on = [[k for k in range(n) if present[k, m]] for m in range(e)]
        self.total = []
        for m in range(e):
            total: Decimal = _ZERO
            for k in self.on[m]:
                total += s[k][m] * c[k][m]
            self.total.append(total)

    def nbs(self, e: int, pos: dict[int, Decimal]) -> Decimal:
        """The expected outcome of issue ``e`` with the actors in ``pos`` moved there."""
        if not self.total[e]:
            return _ZERO
        num: Decimal = _ZERO
        for k in self.on[e]:
            num += pos.get(k, self.x[k][e]) * self.s[k][e] * self.c[k][e]
        return num / self.total[e]

    def outcome(self, cand: _Candidate, side: _Side, at: Decimal) -> Decimal:
        """The outcome of ``side``'s supply issue as ``cand`` sees it: the round's start,
        the candidate's updates, and ``side`` at ``at``."""
        pos = dict(cand.updates.get(side.supply, {}))
        pos[side.actor] = at
        return self.nbs(side.supply, pos)

    def move_to(self, cand: _Candidate, side: _Side, target: Decimal) -> Decimal:
        """How far ``side`` must move to bring its supply issue's outcome, as ``cand`` sees
        it, to ``target`` (decide lets an update of ``side``'s own position override where
        it stands)."""
        e, a = side.supply, side.actor
        pos = {a: side.x, **cand.updates.get(e, {})}
        num: Decimal = _ZERO
        for k in self.on[e]:
            num += pos.get(k, self.x[k][e]) * self.s[k][e] * self.c[k][e]
        return (target * self.total[e] - num) / (self.s[a][e] * self.c[a][e])

    def rate(self, supplier: _Side, other: _Side) -> Decimal:
        """Shift of the outcome on ``supplier``'s demand issue per unit of shift on its
        supply issue, at equal gains: the two saliences on the supply issue over the two
        on the demand issue."""
        s, a, b = self.s, supplier.actor, other.actor
        sup, dem = supplier.supply, supplier.demand
        return (s[a][sup] + s[b][sup]) / (s[a][dem] + s[b][dem])

    def reach(self, side: _Side, shift: Decimal) -> Decimal:
        """The move of ``side`` that shifts its supply issue's outcome by ``shift``."""
        a, e = side.actor, side.supply
        return (shift * self.total[e]) / (self.c[a][e] * self.s[a][e])

    def shift_of(self, side: _Side, move: Decimal) -> Decimal:
        """The outcome shift on ``side``'s supply issue of a move by ``move``."""
        a, e = side.actor, side.supply
        return (move * self.s[a][e] * self.c[a][e]) / self.total[e]

    def gain(self, side: _Side, own_shift: Decimal, other_shift: Decimal) -> Decimal:
        """``side``'s gain: its salience on its demand issue x the outcome shift there, less
        its salience on its supply issue x the shift there (taken as its size)."""
        s = self.s[side.actor]
        return abs(own_shift * s[side.supply] - other_shift * s[side.demand])


def _valid(side: _Side, move: Decimal) -> bool:
    """decide's test of a move: not nil, within 0-100, and the same direction as every move
    of the side's record."""
    if abs(move) > _SCALE or abs(move) <= _MIN:
        return False
    if not 0 <= side.x + move <= _SCALE or sum(side.moves) > _SCALE:
        return False
    return min(side.moves) > 0 or max(side.moves) < 0


def _toward(side: _Side, other: _Side, size: Decimal) -> Decimal:
    """``side``'s move of ``size`` toward ``other``'s demand position."""
    return -size if side.x > other.want else size


def _price(r: _Round, c: _Candidate) -> None:
    """Price ``c`` at equal gains: J moves all the way to I's position on p unless I's move
    on q would then pass J's position; then the outcome caps (``_cap``)."""
    i, j = c.i, c.j
    move_j = abs(i.want - j.x)
    shift_p = r.shift_of(j, move_j)
    shift_q = r.rate(j, i) * shift_p
    move_i = r.reach(i, shift_q)
    if abs(move_i) > abs(j.want - i.x):
        move_i = abs(j.want - i.x)
        shift_q = r.shift_of(i, move_i)
        shift_p = r.rate(i, j) * shift_q
        move_j = r.reach(j, shift_p)
    i.move, j.move = _toward(i, j, move_i), _toward(j, i, move_j)
    i.moves.append(i.move)
    j.moves.append(j.move)
    i.y, j.y = i.x + i.move, j.x + j.move
    c.shift_p, c.shift_q = shift_p, shift_q
    c.gain = r.gain(i, shift_q, shift_p)
    c.valid = _valid(i, i.move) and _valid(j, j.move) and c.gain >= _MIN
    if not c.valid:
        return
    _cap(r, c, i, j)
    _cap(r, c, j, i)
    c.valid = _valid(i, i.move) and _valid(j, j.move)


def _cap(r: _Round, c: _Candidate, side: _Side, other: _Side) -> None:
    """If ``side``'s move carries the outcome of its supply issue (as ``c`` sees it) past
    ``other``'s position there, cut the exchange to the move that brings it just there."""
    target = other.want
    before = r.outcome(c, side, side.x)
    after = r.outcome(c, side, side.y)
    if (target >= before and target >= after) or (target <= before and target <= after):
        return
    move = abs(r.move_to(c, side, target))
    own_shift = r.shift_of(side, move)
    other_shift = r.rate(side, other) * own_shift
    other_move = abs(r.reach(other, other_shift))
    side.move, other.move = _toward(side, other, move), _toward(other, side, other_move)
    side.moves[-1], other.moves[-1] = side.move, other.move
    side.y, other.y = side.x + side.move, other.x + other.move
    c.gain = r.gain(other, other_shift, own_shift)
    if side is c.i:
        c.shift_q, c.shift_p = own_shift, other_shift
    else:
        c.shift_p, c.shift_q = own_shift, other_shift


def _update(c: _Candidate, issue: int, mover: _Side) -> None:
    """Record in ``c``'s view of ``issue`` where ``mover`` now votes (decide's rule when
    one is there already: the nearer to the start of the two on the side it moved to)."""
    view = c.updates.setdefault(issue, {})
    have = view.get(mover.actor)
    if have is None:
        view[mover.actor] = mover.y
    elif mover.start <= have:
        view[mover.actor] = min(have, mover.y)
    else:
        view[mover.actor] = max(have, mover.y)


def _touch(r: _Round, c: _Candidate, done: _Candidate) -> None:
    """Price ``c`` again if ``done`` moved one of its supply positions, or moved someone on
    an issue that one of ``c``'s actors demands."""
    again = False
    for side in (c.i, c.j):
        for mover in (done.i, done.j):
            if (side.actor, side.supply) == (mover.actor, mover.supply):
                side.x = mover.y
                side.moves.append(mover.moves[-1])
                again = True
                break
    if again:
        c.i.moves.pop()
        c.j.moves.pop()
    for demander, mover in ((done.j, done.i), (done.i, done.j)):
        if any((s.actor, s.demand) == (demander.actor, demander.demand) for s in (c.j, c.i)):
            _update(c, demander.demand, mover)
            if not again:
                c.i.moves.pop()
                c.j.moves.pop()
                again = True
    if again:
        _price(r, c)


def _candidates(r: _Round, left: list[list[bool]], weighed: np.ndarray) -> list[_Candidate]:
    """Every candidate of the round, priced, in decide's order."""
    n, e = weighed.shape
    out = []
    for p in range(e):
        for q in range(p + 1, e):
            # decide has no weightless stances (its ratios of saliences would divide by 0):
            # an actor without weight on either issue stays out of the pair's exchanges
            group: dict[int, list[int]] = {0: [], 1: [], 2: [], 3: []}
            for k in range(n):
                if weighed[k, p] and weighed[k, q]:
                    group[int(left[k][p]) + 2 * int(left[k][q])].append(k)
            for g, h in ((0, 3), (1, 2)):
                for a in group[g]:
                    for b in group[h]:
                        out.append(_make(r, a, b, p, q))
    return out


def _make(r: _Round, a: int, b: int, p: int, q: int) -> _Candidate:
    s, x = r.s, r.x
    if s[a][p] / s[a][q] < s[b][p] / s[b][q]:  # b weighs p relatively more
        a, b = b, a
    i = _Side(a, supply=q, demand=p, x=x[a][q], start=x[a][q], want=x[a][p])
    j = _Side(b, supply=p, demand=q, x=x[b][p], start=x[b][p], want=x[b][q])
    c = _Candidate(i, j)
    _price(r, c)
    return c


def decide_rounds(
    positions: np.ndarray,
    saliences: np.ndarray,
    capabilities: np.ndarray,
    present: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
    rounds: int,
    full: bool,
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray, list[dict[str, Any]]]]:
    """decide's rounds on positions (actors x issues) on scales from ``low`` to ``high``:
    per round, the positions at the start, the outcome at the start and of the voting
    positions, and the exchanges made in order (``exchange_record``), on the issues'
    scales. ``full``: an actor keeps all of its move for the next round, rather than
    decide's 0.1 + 0.4 x (1 - salience) of it. Stops early when a round makes no exchange."""
    e = positions.shape[1]
    out = []
    with localcontext(_CONTEXT):
        # decide's rescaling: (x - low) x Decimal(100 / width), a float made a decimal
        step = [Decimal(_SCALE / float(high[m] - low[m])) for m in range(e)]
        lo = [_dec(low[m]) for m in range(e)]

        def grid(values: np.ndarray) -> list[list[Decimal]]:
            return [
                [_dec(v) if on else _ZERO for v, on in zip(row, ok, strict=True)]
                for row, ok in zip(values, present, strict=True)
            ]

        def back(values: list[Decimal]) -> np.ndarray:
            return np.array([float(v / step[m] + lo[m]) for m, v in enumerate(values)])

        x = [[(v - lo[m]) * step[m] for m, v in enumerate(row)] for row in grid(positions)]
        s, c = grid(saliences), grid(capabilities)
        weighed = present & (saliences > 0) & (capabilities > 0)
        unit = np.array([float(1 / step[m]) for m in range(e)])
        for _ in range(rounds):
            r = _Round(x, s, c, present)
            start = [r.nbs(m, {}) for m in range(e)]
            made = decide_round(r, start, weighed)
            moved: dict[tuple[int, int], _Side] = {}
            for k in made:  # an actor's last exchange on an issue holds its vote there
                moved[k.i.actor, k.i.supply] = k.i
                moved[k.j.actor, k.j.supply] = k.j
            votes = [{a: v.y for (a, mm), v in moved.items() if mm == m} for m in range(e)]
            at = np.where(present, np.array([back(row) for row in x]), 0.0)
            voting = back([r.nbs(m, votes[m]) for m in range(e)])
            out.append((at, back(start), voting, [exchange_record(k, unit) for k in made]))
            if not made:
                break
            x = [row[:] for row in x]
            for (a, m), v in moved.items():
                x[a][m] = v.y if full else _adjust(s[a][m], v.start, v.y)
    return out


def _adjust(salience: Decimal, x: Decimal, y: Decimal) -> Decimal:
    """decide's position for the next round: 0.1 + 0.4 x (1 - salience) of the way from the
    round's start ``x`` to the vote ``y`` (its weights are the floats 0.4 and 0.1 made
    decimals, as in decide)."""
    sw, fw = Decimal(_SALIENCE_WEIGHT), Decimal(_FIXED_WEIGHT)
    return (1 - salience) * sw * y + fw * y + (1 - (1 - salience) * sw - fw) * x


def decide_round(r: _Round, start: list[Decimal], weighed: np.ndarray) -> list[_Candidate]:
    """One round of decide's protocol: the exchanges made, in order."""
    left = [[r.x[k][m] <= start[m] for m in range(len(start))] for k in range(len(r.x))]
    pending = _candidates(r, left, weighed)
    made: list[_Candidate] = []
    while pending:
        pending.sort(key=lambda k: k.gain, reverse=True)  # stable: equal gains keep order
        best = pending.pop(0)
        if not best.valid:
            continue
        kept = []
        for k in pending:
            if k.valid:
                _touch(r, k, best)
                if k.valid:
                    kept.append(k)
        pending = kept
        made.append(best)
    return made


def exchange_record(k: _Candidate, unit: np.ndarray) -> dict[str, Any]:
    """An exchange made, in the fields of :class:`~statecraft.models.exchange.ExchangeRound`,
    on the issues' own scales (``unit``: each issue's width / 100); the gain, a salience x
    a shift, in the units of the issue on which I demands."""
    p, q = k.j.supply, k.i.supply
    return {
        "i": k.i.actor,
        "j": k.j.actor,
        "i_supplies": q,
        "j_supplies": p,
        "i_moves": float(k.i.move) * float(unit[q]),
        "j_moves": float(k.j.move) * float(unit[p]),
        "shift_on_i_demand": float(k.shift_p) * float(unit[p]),
        "shift_on_j_demand": float(k.shift_q) * float(unit[q]),
        "gain_i": float(k.gain) * float(unit[p]),
        "gain_j": float(k.gain) * float(unit[p]),
    }
