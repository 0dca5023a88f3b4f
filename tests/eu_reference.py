"""A plain reference implementation of the expected utility model, written for clarity.

Loops over pairs and triples of actors, one issue at a time, straight from the equations in
``docs/models/expected-utility.md``. It shares nothing with the vectorised model but the
options object, so that the tests can check one against the other.
"""

from __future__ import annotations

from dataclasses import dataclass

from statecraft.models.expected_utility import SAME_POSITION, EUOptions


def weighted_median(x: list[float], w: list[float]) -> float:
    """Lower and upper weighted medians, split at the midpoint when they differ."""
    order = sorted(range(len(x)), key=lambda k: x[k])
    total = sum(w)
    tol = 1e-9 * total
    cum, lower, upper = 0.0, None, None
    for k in order:
        cum += w[k]
        if lower is None and cum >= total / 2 - tol:
            lower = x[k]
        if upper is None and cum > total / 2 + tol:
            upper = x[k]
    assert lower is not None
    assert upper is not None
    return (lower + upper) / 2


@dataclass
class RoundLog:
    median: float
    mean: float
    risk: list[float]
    own: list[list[float]]
    other: list[list[float]]
    kind: list[list[int]]
    chosen: list[int]


def vote(k: int, a: float, b: float, x: list[float], w: list[float], r: float, d: float) -> float:
    """Voter k's vote for position a over b (positive: k prefers a)."""
    return w[k] * ((abs(x[k] - b) / d) ** r - (abs(x[k] - a) / d) ** r)


def probability_matrix(
    x: list[float], w: list[float], r: list[float], d: float, o: EUOptions
) -> list[list[float]]:
    """P[i][j], the probability that i prevails over j, for every ordered pair."""
    n = len(x)
    positive = [[0.0] * n for _ in range(n)]
    total = [[0.0] * n for _ in range(n)]
    for i in range(n):
        for j in range(n):
            for k in range(n):
                v = vote(k, x[i], x[j], x, w, r[k], d)
                positive[i][j] += max(v, 0.0)
                total[i][j] += abs(v)
    if o.probability == "pair":
        return [
            [positive[i][j] / total[i][j] if total[i][j] > 0 else 0.5 for j in range(n)]
            for i in range(n)
        ]
    grand = sum(sum(row) for row in total)
    return [[positive[i][j] / grand if grand > 0 else 0.0 for j in range(n)] for i in range(n)]


def eu(
    challenger: int,
    target: int,
    r: float,
    x: list[float],
    s: list[float],
    p: list[list[float]],
    m: float,
    d: float,
    o: EUOptions,
) -> float:
    """EU of ``challenger`` challenging ``target``, computed with risk exponent r."""
    dist = abs(x[challenger] - x[target]) / d
    u_s = 2 - 4 * (0.5 - 0.5 * dist) ** r
    u_f = 2 - 4 * (0.5 + 0.5 * dist) ** r
    u_sq = 2 - 4 * 0.5**r
    pr = p[challenger][target]
    value = s[target] * (pr * u_s + (1 - pr) * u_f) + (1 - s[target]) * u_s - o.q * u_sq
    if o.q < 1:
        to_m = abs(x[challenger] - m) / d
        second = dist if o.better_worse == "target" else abs(x[target] - m) / d
        u_b = 2 - 4 * max(0.5 - 0.25 * (to_m + second), 0.0) ** r
        u_w = 2 - 4 * (0.5 + 0.25 * (to_m + second)) ** r
        t = float(to_m < dist) if o.t == "geometric" else float(o.t)
        value -= (1 - o.q) * (t * u_b + (1 - t) * u_w)
    return value


def one_round(
    x: list[float], c: list[float], s: list[float], d: float, o: EUOptions
) -> tuple[list[float], RoundLog]:
    n = len(x)
    w = [c[k] * s[k] for k in range(n)]
    median = weighted_median(x, w)
    mean = sum(w[k] * x[k] for k in range(n)) / sum(w)
    ones = [1.0] * n
    p1 = probability_matrix(x, w, ones, d, o)
    exposure = [
        sum(eu(j, i, 1.0, x, s, p1, median, d, o) for j in range(n) if j != i) for i in range(n)
    ]
    hi, lo = max(exposure), min(exposure)
    r = []
    for e in exposure:
        big_r = (2 * e - hi - lo) / (hi - lo) if hi > lo else 0.0
        r.append((1 - big_r / 3) / (1 + big_r / 3))
    votes_r = r if o.vote_risk else ones
    p = probability_matrix(x, w, votes_r, d, o)
    own = [[0.0] * n for _ in range(n)]
    other = [[0.0] * n for _ in range(n)]
    kind = [[0] * n for _ in range(n)]
    chosen = [-1] * n
    new = list(x)
    for i in range(n):
        best: tuple[float, ...] | None = None
        for j in range(n):
            if j == i:
                continue
            a = eu(i, j, r[i], x, s, p, median, d, o)
            b = eu(j, i, r[i], x, s, p, median, d, o)
            own[i][j], other[i][j] = a, b
            if abs(x[i] - x[j]) <= SAME_POSITION * d:
                continue
            if a > 0 and b > a:
                k, to = 1, x[j]
            elif a < 0 < b and b > -a:
                k, to = 2, x[i] + (x[j] - x[i]) * abs(a / b)
            elif a < 0 < b:
                k, to = 3, x[j]
            else:
                continue
            kind[i][j] = k
            move = abs(to - x[i])
            if o.offer_choice == "smallest":
                key: tuple[float, ...] = (move,)
            elif o.offer_choice == "type":
                key = (k, move)
            else:
                within = (abs(a) * x[i] + abs(b) * x[j]) / (abs(a) + abs(b)) if k == 2 else move
                key = (k, within)
            if best is None or key < best[:-2]:
                best = (*key, j, to)
        if best is not None:
            chosen[i] = int(best[-2])
            new[i] = best[-1]
    return new, RoundLog(median, mean, r, own, other, kind, chosen)


def run(
    x0: list[float], c0: list[float], s0: list[float], o: EUOptions
) -> tuple[list[list[float]], list[RoundLog], float]:
    """All rounds: (positions per round, round logs, forecast), in the caller's actor order.

    Actors are processed in a canonical order (position, capability, salience), which
    settles ties between equally good offers independently of how the scenario lists them.
    """
    n = len(x0)
    order = sorted(range(n), key=lambda k: (x0[k], c0[k], s0[k]))
    back = [order.index(k) for k in range(n)]
    positions, logs, forecast = _run_canonical(
        [x0[k] for k in order], [c0[k] for k in order], [s0[k] for k in order], o
    )

    def vec(v: list[float]) -> list[float]:
        return [v[back[k]] for k in range(n)]

    def mat(m: list[list[float]]) -> list[list[float]]:
        return [[m[back[i]][back[j]] for j in range(n)] for i in range(n)]

    for log in logs:
        log.risk = vec(log.risk)
        log.own, log.other = mat(log.own), mat(log.other)
        log.kind = [[int(v) for v in row] for row in mat(log.kind)]  # type: ignore[arg-type]
        log.chosen = [
            order[log.chosen[back[i]]] if log.chosen[back[i]] >= 0 else -1 for i in range(n)
        ]
    return [vec(p) for p in positions], logs, forecast


def _run_canonical(
    x0: list[float], c: list[float], s: list[float], o: EUOptions
) -> tuple[list[list[float]], list[RoundLog], float]:
    x = list(x0)
    positions = [list(x)]
    logs: list[RoundLog] = []
    span0 = max(x) - min(x)
    for _ in range(o.rounds):
        if max(x) - min(x) == 0:
            break
        d = span0 if o.range == "initial" else max(x) - min(x)
        new, log = one_round(x, c, s, d, o)
        logs.append(log)
        stop = False
        if o.stopping != "rounds":
            w = [c[k] * s[k] for k in range(len(x))]
            moved = abs(weighted_median(new, w) - log.median) / d
            limit = o.tolerance if o.stopping == "tolerance" else 1 - o.discount
            stop = moved < limit
        x = new
        positions.append(list(x))
        if stop:
            break
    w = [c[k] * s[k] for k in range(len(x))]
    return positions, logs, weighted_median(x, w)
