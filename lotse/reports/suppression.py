"""Small-cell suppression of count tables that leave the district (state controlling export).

Pure functions on integer tables with totals, written as a system of *lines*: a line is the
equation ``sum(parts) = total`` (a row of a table with its row total, a column with its column
total; linked tables share cells, e.g. a district's total row is a row of the state table too).

* **Primary suppression**: every cell with a value of 1 to 4 – totals included – is shown as
  ``"< 5"``. Zeros are shown as 0.
* **Secondary suppression**: further non-zero cells are shown as ``"x"`` until no suppressed
  value can be worked out from what is shown. A line whose suppressed cells could be recovered
  (one suppressed cell only, or several whose values are still forced) gets one more suppressed
  cell: the smallest non-zero cell of the line (preferring cells that help another line too),
  else the line's total.
* **Withholding**: some small values give themselves away whatever else is hidden – four cells
  of "< 5" adding up to a total of "< 5" are all 1, since each is at least 1. Then cells are
  withheld (``"."``, no statement at all: any value, 0 and 1–4 included), the totals first.
* **Protection is checked, not assumed**: :func:`recoverable` solves the equations exactly as an
  attacker who knows the rules would (``"< 5"`` is 1–4; ``"x"`` is never 0 – zeros are shown or
  withheld – and never 1–4, so at least 5; ``"."`` is anything; every cell is bounded by the
  totals shown) and finds every suppressed cell whose value is forced. :func:`suppress` adds
  secondary and withheld cells until no non-zero suppressed value is forced, then shows again
  whatever the protection does not need.

The attacker model is deliberately strong (``"x"`` ≥ 5 rather than "0 or ≥ 5"): a table safe
against it is safe against every weaker reading of the legend.

How the check works: a suppressed cell is *free* once a second solution of all the lines is
found in which it has another value – searched depth first with bounds propagation, among
the cells near it first, then among all cells linked to it. Solutions found are kept
(:class:`Witnesses`) and checked again before they are relied on, so that the checks after
each change stay cheap in the linked state tables. A cell is *recoverable* when the search
proves there is no second solution – or runs out of its work budget: that counts as
recoverable too, so a budget can only ever cause more suppression, never less.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)
N = TypeVar("N")

SHOWN = "shown"
PRIMARY = "primary"
SECONDARY = "secondary"
WITHHELD = "withheld"

SMALL = "< 5"  # what a primary cell shows
HIDDEN = "x"  # what a secondary cell shows
BLANK = "."  # what a withheld cell shows (DIN 55301: "unknown or to be kept secret")
LIMIT = 5  # values 1 .. LIMIT-1 are small

# Work limits of the exact check (search nodes per cell, propagation steps). Running out
# counts as "recoverable" – the safe side: more is suppressed, never less.
NODE_BUDGET = 20_000  # a check on its own
SEARCH_BUDGET = 2_000  # while choosing further cells
GLOBAL_BUDGET = 200  # ... in all the cells linked to one (costly in large systems)
REVEAL_BUDGET = 300  # while trying to show a cell again (an optional improvement)
STEP_BUDGET = 200_000

Cell = int | str


@dataclass(frozen=True)
class Line:
    """The equation ``sum(parts) == total`` over cell keys."""

    parts: tuple[Any, ...]
    total: Any

    @property
    def cells(self) -> tuple[Any, ...]:
        return (*self.parts, self.total)


def is_small(value: int) -> bool:
    return 0 < value < LIMIT


def primary(values: Mapping[K, int]) -> dict[K, str]:
    """The marks after primary suppression: small values suppressed, everything else shown."""
    return {key: PRIMARY if is_small(value) else SHOWN for key, value in values.items()}


def display(value: N, mark: str) -> N | str:
    """A cell as published: the value, ``"< 5"``, ``"x"`` or ``"."``."""
    if mark == PRIMARY:
        return SMALL
    if mark == SECONDARY:
        return HIDDEN
    if mark == WITHHELD:
        return BLANK
    return value


# --- the exact check --------------------------------------------------------------------------


class _OverBudget(Exception):
    pass


def _cap(values: Mapping[Any, int]) -> int:
    """An upper bound for the search (no count exceeds the grand total)."""
    return 2 * max(values.values(), default=0) + 10 * LIMIT


def _domain(mark: str, cap: int) -> tuple[int, int]:
    """What an attacker knows of a suppressed cell: "< 5" is 1–4, "x" at least 5, "." anything."""
    if mark == PRIMARY:
        return 1, LIMIT - 1
    if mark == SECONDARY:
        return LIMIT, cap
    return 0, cap


def _fits(mark: str, value: int) -> bool:
    if mark == PRIMARY:
        return 1 <= value < LIMIT
    if mark == SECONDARY:
        return value >= LIMIT
    return mark == WITHHELD


@dataclass
class _System:
    """Equations ``sum(sign * x) == const`` over some suppressed cells (the others fixed)."""

    keys: list[Any]
    equations: list[tuple[list[tuple[int, int]], int]]  # ([(var, sign)], const)
    of_var: list[list[int]]  # var -> equations
    lo: list[int]
    hi: list[int]
    truth: list[int]

    def __post_init__(self) -> None:
        # per equation: the cells added, the cells subtracted, the constant
        self.split = [
            ([v for v, sign in terms if sign > 0], [v for v, sign in terms if sign < 0], const)
            for terms, const in self.equations
        ]


def _system(
    chosen: Sequence[Any],
    values: Mapping[Any, int],
    marks: Mapping[Any, str],
    lines_of: Mapping[Any, list[Line]],
    cap: int,
) -> _System:
    """The equations of the lines through the chosen cells, every other cell fixed at its
    true value: a solution, completed with the true table, solves every line."""
    index = {key: var for var, key in enumerate(chosen)}
    touched = {id(line): line for key in chosen for line in lines_of.get(key, ())}
    equations = []
    for line in touched.values():
        terms: list[tuple[int, int]] = []
        const = 0
        for key, sign in [(part, 1) for part in line.parts] + [(line.total, -1)]:
            if key in index:
                terms.append((index[key], sign))
            else:
                const -= sign * values[key]
        equations.append((terms, const))
    of_var: list[list[int]] = [[] for _ in chosen]
    for number, (terms, _const) in enumerate(equations):
        for var, _sign in terms:
            of_var[var].append(number)
    domains = [_domain(marks[key], cap) for key in chosen]
    return _System(
        list(chosen), equations, of_var, [d[0] for d in domains], [d[1] for d in domains], [values[k] for k in chosen]
    )


def _propagate(system: _System, lo: list[int], hi: list[int], queue: Iterable[int]) -> bool:
    """Narrow the bounds until every equation is bounds-consistent; False if infeasible."""
    pending = deque(dict.fromkeys(queue))
    queued = set(pending)
    split, of_var = system.split, system.of_var
    lo_of, hi_of = lo.__getitem__, hi.__getitem__
    steps = 0
    while pending:
        number = pending.popleft()
        queued.discard(number)
        steps += 1
        if steps > STEP_BUDGET:
            raise _OverBudget
        added, subtracted, const = split[number]
        low = sum(map(lo_of, added)) - sum(map(hi_of, subtracted))
        high = sum(map(hi_of, added)) - sum(map(lo_of, subtracted))
        if low > const or high < const:
            return False
        # how far the sum may still fall (over) and rise (under) around the constant
        over, under = high - const, const - low
        least = min(over, under)
        changed = []
        for var in added:
            if hi[var] - lo[var] > least:
                new_lo, new_hi = hi[var] - over, lo[var] + under
                if new_lo > lo[var] or new_hi < hi[var]:
                    lo[var], hi[var] = max(lo[var], new_lo), min(hi[var], new_hi)
                    changed.append(var)
        for var in subtracted:
            if hi[var] - lo[var] > least:
                new_lo, new_hi = hi[var] - under, lo[var] + over
                if new_lo > lo[var] or new_hi < hi[var]:
                    lo[var], hi[var] = max(lo[var], new_lo), min(hi[var], new_hi)
                    changed.append(var)
        for var in changed:
            if lo[var] > hi[var]:
                return False
            for other in of_var[var]:
                if other not in queued:
                    queued.add(other)
                    pending.append(other)
    return True


def _branches(
    system: _System, lo: list[int], hi: list[int], order: Sequence[int]
) -> tuple[int, list[tuple[int, int]]] | None:
    """How to split a partly open node: the first open cell in ``order`` (nearest to the cell
    searched for first), its true value first, then above and below it (or halves, nearer
    half first). None: all fixed."""
    var = next((v for v in order if lo[v] < hi[v]), None)
    if var is None:
        return None
    t = system.truth[var]
    if lo[var] <= t <= hi[var]:
        return var, [(t, t), (t + 1, hi[var]), (lo[var], t - 1)]
    middle = (lo[var] + hi[var]) // 2
    halves = [(lo[var], middle), (middle + 1, hi[var])]
    return var, halves if t <= middle else halves[::-1]


def _order(system: _System, start: int) -> list[int]:
    """The cells of a system breadth first from one of them."""
    seen = {start: None}
    frontier = [start]
    while frontier:
        following = []
        for var in frontier:
            for number in system.of_var[var]:
                for other, _sign in system.equations[number][0]:
                    if other not in seen:
                        seen[other] = None
                        following.append(other)
        frontier = following
    return list(seen)


def _solve(system: _System, lo: list[int], hi: list[int], budget: int, order: Sequence[int]) -> list[int] | None:
    """One integer solution within the bounds, or None: depth first (an explicit stack),
    propagating the bounds at every node."""
    nodes = 1
    if not _propagate(system, lo, hi, range(len(system.equations))):
        return None
    split = _branches(system, lo, hi, order)
    if split is None:
        return lo
    frames = [(lo, hi, split[0], iter(split[1]))]
    while frames:
        node_lo, node_hi, var, branches = frames[-1]
        branch = next(branches, None)
        if branch is None:
            frames.pop()
            continue
        low, high = branch
        if low > high:
            continue
        nodes += 1
        if nodes > budget:
            raise _OverBudget
        sub_lo, sub_hi = node_lo[:], node_hi[:]
        sub_lo[var], sub_hi[var] = low, high
        if not _propagate(system, sub_lo, sub_hi, system.of_var[var]):
            continue
        split = _branches(system, sub_lo, sub_hi, order)
        if split is None:
            return sub_lo
        frames.append((sub_lo, sub_hi, split[0], iter(split[1])))
    return None


def _search(system: _System, lo: list[int], hi: list[int], budget: int, var: int = 0) -> dict[Any, int] | None:
    """A solution within the (narrowed) bounds, as the cells that differ from the truth
    (branching on the cells nearest to ``var`` first); None if there is none or the budget
    ran out."""
    order = range(len(system.keys)) if var == 0 else _order(system, var)
    try:
        solution = _solve(system, lo, hi, budget, order)
    except _OverBudget:
        return None
    if solution is None:
        return None
    return {system.keys[v]: value for v, value in enumerate(solution) if value != system.truth[v]}


# The neighbourhoods searched first: (lines away, cells at most).
NEAR = ((2, 60), (4, 400))


class Witnesses:
    """Solutions found by checks, kept as their differences from the true table. A difference
    proves its cells free while it still agrees with what is shown – each of its cells
    suppressed, its value fitting the cell's mark, every line adding up (checked again each
    time it is used). Suppressing more never retires one, showing a cell of it does:
    :func:`suppress` checks after every change, and these keep the checks cheap."""

    RECENT = 16  # kept solutions tried per cell, besides its proof

    def __init__(self, values: Mapping[Any, int], lines: Sequence[Line]) -> None:
        self.values = values
        self.lines_of: dict[Any, list[Line]] = defaultdict(list)
        for line in lines:
            for key in line.cells:
                self.lines_of[key].append(line)
        self.diffs: list[dict[Any, int]] = []
        self.of_key: dict[Any, list[int]] = defaultdict(list)
        self.proof: dict[Any, int] = {}  # the solution that last proved a cell free

    def add(self, diff: dict[Any, int]) -> int:
        number = len(self.diffs)
        self.diffs.append(diff)
        for key in diff:
            self.of_key[key].append(number)
        return number

    def use(self, number: int) -> dict[Any, int]:
        """Record a solution as the proof of all the cells it changes."""
        diff = self.diffs[number]
        for key in diff:
            self.proof[key] = number
        return diff

    def freeing(self, key: Any, marks: Mapping[Any, str]) -> int | None:
        """A kept solution in which ``key`` differs from the truth and that still agrees with
        what is shown: its proof, else one of the latest."""
        numbers = self.of_key.get(key, [])
        tried = ([self.proof[key]] if key in self.proof else []) + numbers[-self.RECENT :][::-1]
        for number in tried:
            diff = self.diffs[number]
            if all(_fits(marks[cell], value) for cell, value in diff.items()) and self._adds_up(diff):
                return number
        return None

    def sharing(self, key: Any) -> set[Any]:
        """Every cell some kept solution changes together with ``key``."""
        return {cell for number in self.of_key.get(key, ()) for cell in self.diffs[number]}

    def _adds_up(self, diff: dict[Any, int]) -> bool:
        def value(cell: Any) -> int:
            return diff.get(cell, self.values[cell])

        touched = {id(line): line for cell in diff for line in self.lines_of[cell]}
        return all(sum(value(part) for part in line.parts) == value(line.total) for line in touched.values())


class _Auditor:
    """Finds second solutions for suppressed cells: near the cell first (most are small –
    a few cells up and down), then, unless ``local``, in all the cells linked to it."""

    def __init__(
        self, values: Mapping[Any, int], marks: Mapping[Any, str], witnesses: Witnesses, global_budget: int
    ) -> None:
        self.values, self.marks, self.witnesses = values, marks, witnesses
        self.global_budget = global_budget
        self.lines_of = witnesses.lines_of
        self.cap = _cap(values)
        self.linked: dict[Any, tuple[_System, list[int], list[int], dict[Any, int]] | None] = {}

    def _near(self, key: Any, depth: int, limit: int) -> list[Any]:
        """The suppressed cells within ``depth`` lines of ``key``: breadth first, short lines
        first, whole lines only, at most ``limit`` cells."""
        seen = {key: None}
        frontier = [key]
        for _step in range(depth):
            lines = {id(line): line for cell in frontier for line in self.lines_of.get(cell, ())}
            following = []
            for line in sorted(lines.values(), key=lambda line: len(line.parts)):
                new = [cell for cell in line.cells if cell not in seen and self.marks[cell] != SHOWN]
                if len(seen) + len(new) > limit:
                    continue
                for cell in new:
                    seen[cell] = None
                    following.append(cell)
            frontier = following
        return list(seen)

    def _linked(self, key: Any) -> tuple[_System, list[int], list[int], dict[Any, int]] | None:
        """All cells linked to ``key`` through suppressed cells, with the bounds that follow
        from the lines (None: too much work – the safe side)."""
        if key not in self.linked:
            seen = {key: None}
            frontier = [key]
            while frontier:
                cell = frontier.pop()
                for line in self.lines_of.get(cell, ()):
                    for other in line.cells:
                        if other not in seen and self.marks[other] != SHOWN:
                            seen[other] = None
                            frontier.append(other)
            system = _system(list(seen), self.values, self.marks, self.lines_of, self.cap)
            lo, hi = system.lo[:], system.hi[:]
            try:
                consistent = _propagate(system, lo, hi, range(len(system.equations)))
            except _OverBudget:
                consistent = None
            if consistent is False:
                raise ValueError("The table's totals do not add up.")
            entry = (system, lo, hi, {cell: var for var, cell in enumerate(system.keys)}) if consistent else None
            for cell in seen:
                self.linked[cell] = entry
        return self.linked[key]

    def alternative(self, key: Any, budget: int, local: bool) -> int | None:
        """A solution in which ``key`` differs from the truth (kept; its number), or None.
        Unless ``local``, the bounds that follow from all the linked lines come first: they
        often show at once that a cell is forced."""
        t = self.values[key]
        low, high = _domain(self.marks[key], self.cap)
        linked = None if local else self._linked(key)
        if linked is not None:
            system, bounds_lo, bounds_hi, position = linked
            low, high = max(low, bounds_lo[position[key]]), min(high, bounds_hi[position[key]])
        sides = [
            (side_low, side_high) for side_low, side_high in ((t + 1, high), (low, t - 1)) if side_low <= side_high
        ]
        for depth, limit in NEAR:
            if not sides:
                break
            system = _system(self._near(key, depth, limit), self.values, self.marks, self.lines_of, self.cap)
            for side_low, side_high in sides:
                lo, hi = system.lo[:], system.hi[:]
                lo[0], hi[0] = max(lo[0], side_low), min(hi[0], side_high)
                diff = _search(system, lo, hi, budget)
                if diff is not None:
                    return self.witnesses.add(diff)
        if linked is None:
            return None
        system, bounds_lo, bounds_hi, position = linked
        var = position[key]
        for side_low, side_high in sides:
            lo, hi = bounds_lo[:], bounds_hi[:]
            lo[var], hi[var] = side_low, side_high
            diff = _search(system, lo, hi, min(budget, self.global_budget), var)
            if diff is not None:
                return self.witnesses.add(diff)
        return None


def recoverable(
    values: Mapping[K, int],
    marks: Mapping[K, str],
    lines: Sequence[Line],
    *,
    keys: Iterable[K] | None = None,
    first: bool = False,
    prefer: Iterable[K] = (),
    nonzero: bool = False,
    witnesses: Witnesses | None = None,
    budget: int = NODE_BUDGET,
    global_budget: int = NODE_BUDGET,
    local: bool = False,
) -> set[K]:
    """Every suppressed cell whose value follows from what is shown: the shown values, the
    marks (``"< 5"`` = 1–4, ``"x"`` ≥ 5, ``"."`` any) and the equations of the lines. A cell
    counts as free only if a second integer solution with another value for it was found.

    ``keys``: check these cells only (default: all). ``first``: stop at the first
    recoverable cell, trying the cells of ``prefer`` first. ``nonzero``: leave out cells
    whose value is 0 (only withheld cells can be). ``witnesses``: solutions of earlier checks
    to reuse, and to add the new ones to. ``budget``: search nodes per search near the cell,
    ``global_budget`` in all the cells linked to it; a cell whose searches run out counts as
    recoverable (the safe side); so does, with ``local``, a cell without a second solution
    that changes only cells near it."""
    for line in lines:
        if sum(values[part] for part in line.parts) != values[line.total]:
            raise ValueError("The table's totals do not add up.")
    witnesses = witnesses if witnesses is not None else Witnesses(values, lines)
    auditor = _Auditor(values, marks, witnesses, global_budget)
    order = {key: number for number, key in enumerate(values)}
    preferred = set(prefer)
    candidates = sorted(
        {key for key in (values if keys is None else keys) if marks[key] != SHOWN},
        key=lambda key: (key not in preferred, order[key]),
    )
    free: set[Any] = set()
    found: set[K] = set()
    for key in candidates:
        if key in free or (nonzero and values[key] == 0):
            continue
        number = witnesses.freeing(key, marks)
        if number is None:
            number = auditor.alternative(key, budget, local)
        if number is not None:
            free.update(witnesses.use(number))
            continue
        found.add(key)
        if first:
            break
    return found


# --- secondary suppression --------------------------------------------------------------------


def exposed(values: Mapping[K, int], marks: Mapping[K, str], lines: Sequence[Line], **kwargs: Any) -> set[K]:
    """The non-zero suppressed cells whose value follows from what is shown (a withheld zero
    that can be worked out tells no more than the 0 the rules would show)."""
    return recoverable(values, marks, lines, nonzero=True, **kwargs)


def suppress(
    values: Mapping[K, int],
    lines: Sequence[Line],
    witnesses: Witnesses | None = None,
    unpublished: Collection[K] = (),
) -> dict[K, str]:
    """Primary and secondary suppression, and withholding where needed, of a line system;
    returns the mark of every cell. Every cell of ``values`` gets a mark; ``lines`` name cells
    of ``values`` only. The result passes :func:`exposed` (nothing non-zero recoverable);
    ``witnesses`` (optional) collects the solutions that prove it.

    ``unpublished``: cells that tie published ones together but are never shown themselves
    (say, cases carried over = active − opened, which an attacker knows to be at least 0):
    they count as withheld (any value from 0) and need no protection of their own."""
    unpublished = frozenset(unpublished)
    marks = primary(values)
    for key in unpublished:
        marks[key] = WITHHELD
    protected = [key for key in values if key not in unpublished]
    order = {key: number for number, key in enumerate(values)}
    witnesses = witnesses if witnesses is not None else Witnesses(values, lines)
    lines_of = witnesses.lines_of
    changed: set[Any] = set()

    def hidden(line: Line) -> int:
        return sum(marks[key] != SHOWN for key in line.cells)

    cap = _cap(values)

    def gives_away(line: Line) -> bool:
        """A suppressed non-zero cell of the line is forced by the line alone (one suppressed
        cell; two "< 5" that must both be 4; "< 5" and "x" adding up to 6 …). For a single
        line the bounds are exact."""
        cells = [(key, 1) for key in line.parts] + [(line.total, -1)]
        const = -sum(sign * values[key] for key, sign in cells if marks[key] == SHOWN)
        unknown = [(key, sign, *_domain(marks[key], cap)) for key, sign in cells if marks[key] != SHOWN]
        if len(unknown) == 1:
            return values[unknown[0][0]] > 0 and unknown[0][0] not in unpublished
        low = sum(lo if sign > 0 else -hi for _key, sign, lo, hi in unknown)
        high = sum(hi if sign > 0 else -lo for _key, sign, lo, hi in unknown)
        for key, sign, lo, hi in unknown:
            rest_low, rest_high = low - (lo if sign > 0 else -hi), high - (hi if sign > 0 else -lo)
            # sign * x = const - rest
            first, last = sorted((sign * (const - rest_high), sign * (const - rest_low)))
            if max(lo, first) == min(hi, last) and values[key] > 0 and key not in unpublished:
                return True
        return False

    def add_secondary(line: Line, urgent: set[Any]) -> Any:
        """Suppress the best further cell of the line: a non-zero part, preferring parts that
        lie in another line that needs help too, then small values; else the total. Returns
        the cell chosen (``None``: nothing left to suppress in the line)."""

        def helps(key: Any) -> bool:
            return any(
                other is not line and (hidden(other) == 1 or urgent & set(other.cells)) for other in lines_of[key]
            )

        parts = [key for key in line.parts if marks[key] == SHOWN and values[key] > 0]
        if parts:
            chosen = min(parts, key=lambda key: (not helps(key), values[key], order[key]))
        elif marks[line.total] == SHOWN and values[line.total] > 0:
            chosen = line.total
        else:
            return None
        marks[chosen] = SECONDARY
        changed.add(chosen)
        return chosen

    def nearby(start: Any, depth: int) -> list[Line]:
        """The lines of a cell, then the lines crossing those (up to ``depth`` steps)."""
        found: dict[int, Line] = {}
        cells = {start}
        for _step in range(depth):
            new = [line for cell in cells for line in lines_of[cell] if id(line) not in found]
            for line in new:
                found[id(line)] = line
            cells = {cell for line in new for cell in line.cells} - cells
        return list(found.values())

    def widen(start: Any, found: set[Any]) -> Any:
        """Protect a recoverable cell by a further cell in its lines or the lines crossing
        them."""
        for line in nearby(start, 2):
            chosen = add_secondary(line, found)
            if chosen is not None:
                return chosen
        return None

    def withhold(start: Any) -> Any:
        """Where hiding more non-zero cells cannot help: withhold a suppressed total of the
        cell's lines (then a suppressed part, then a zero), nearest lines first."""
        for depth in (1, 2, len(lines)):
            near = nearby(start, depth)
            for pick in (
                lambda line: [line.total] if marks[line.total] in (PRIMARY, SECONDARY) else [],
                lambda line: [key for key in line.parts if marks[key] in (PRIMARY, SECONDARY)],
                lambda line: [key for key in line.cells if marks[key] == SHOWN and values[key] == 0],
            ):
                for line in near:
                    candidates = pick(line)
                    if candidates:
                        chosen = min(candidates, key=lambda key: order[key])
                        marks[chosen] = WITHHELD
                        changed.add(chosen)
                        return chosen
        return None

    # Suppressing more only widens what an attacker must consider, so a cell once shown to be
    # free stays free: after the first full check only the cells found recoverable and the
    # cells suppressed since need checking again.
    check: set[Any] | None = None
    while True:
        # the quick rule first: a line that gives a suppressed cell away by itself
        progress = False
        for line in lines:
            if hidden(line) and gives_away(line) and add_secondary(line, set()) is not None:
                progress = True
        if progress:
            continue
        keys = protected if check is None else (check | changed) - unpublished
        changed = set()
        found = exposed(
            values, marks, lines, keys=keys, witnesses=witnesses, budget=SEARCH_BUDGET, global_budget=GLOBAL_BUDGET
        )
        if not found:
            return _reveal_unneeded(values, marks, lines, witnesses, unpublished)
        # one further cell for each recoverable cell whose lines did not change in this round
        touched: set[int] = set()
        for start in sorted(found, key=lambda key: order[key]):
            if any(id(line) in touched for line in lines_of[start]):
                continue
            chosen = widen(start, found)
            if chosen is None:
                chosen = withhold(start)
            if chosen is None:  # everything linked to it is withheld already
                return dict.fromkeys(marks, WITHHELD)
            touched.update(id(line) for line in lines_of[chosen])
        check = set(found)


def _reveal_unneeded(
    values: Mapping[K, int],
    marks: dict[K, str],
    lines: Sequence[Line],
    witnesses: Witnesses,
    unpublished: frozenset[K],
) -> dict[K, str]:
    """Show again what the protection does not need (the greedy choices above may take more
    than enough): withheld cells first (back to "< 5", the value, or else "x"), then secondary
    cells, the largest first. A change is kept only if every cell whose proof it may have
    spoilt – the cells of the kept solutions that change this one – still has a second
    solution near it; the others keep theirs."""
    order = {key: number for number, key in enumerate(values)}
    withheld = sorted(
        (key for key, mark in marks.items() if mark == WITHHELD and key not in unpublished), key=lambda k: order[k]
    )
    secondary = sorted((key for key, mark in marks.items() if mark == SECONDARY), key=lambda k: (-values[k], order[k]))
    for key in withheld + secondary:
        was = marks[key]
        options = [PRIMARY if is_small(values[key]) else SHOWN]
        if was == WITHHELD and values[key] >= LIMIT:
            options.append(SECONDARY)
        affected = witnesses.sharing(key) | {key}
        for mark in options:
            marks[key] = mark
            check = {cell for cell in affected if marks[cell] != SHOWN and cell not in unpublished}
            if not exposed(
                values, marks, lines, keys=check, first=True, witnesses=witnesses, budget=REVEAL_BUDGET, local=True
            ):
                break
        else:
            marks[key] = was
    return marks


# --- plain two-dimensional tables -------------------------------------------------------------


def table_lines(rows: int, columns: int, *, row_totals: bool = True, column_totals: bool = True) -> list[Line]:
    """The lines of a ``rows`` × ``columns`` grid of keys ``(row, column)`` whose last column
    holds the row totals (``row_totals``) and whose last row the column totals
    (``column_totals``)."""
    lines = []
    if row_totals:
        for row in range(rows):
            lines.append(Line(tuple((row, column) for column in range(columns - 1)), (row, columns - 1)))
    if column_totals:
        for column in range(columns):
            lines.append(Line(tuple((row, column) for row in range(rows - 1)), (rows - 1, column)))
    return lines


def _grid_values(table: Sequence[Sequence[int]]) -> dict[tuple[int, int], int]:
    return {(r, c): value for r, row in enumerate(table) for c, value in enumerate(row)}


def suppress_table(
    table: Sequence[Sequence[int]], *, row_totals: bool = True, column_totals: bool = True
) -> list[list[Cell]]:
    """A table with its totals (last row and/or column) as published after suppression."""
    values = _grid_values(table)
    lines = table_lines(len(table), len(table[0]) if table else 0, row_totals=row_totals, column_totals=column_totals)
    marks = suppress(values, lines)
    return [[display(value, marks[(r, c)]) for c, value in enumerate(row)] for r, row in enumerate(table)]


def marks_of(shown: Sequence[Sequence[Cell]]) -> dict[tuple[int, int], str]:
    def mark(cell: Cell) -> str:
        if cell == SMALL:
            return PRIMARY
        if cell == HIDDEN:
            return SECONDARY
        if cell == BLANK:
            return WITHHELD
        return SHOWN

    return {(r, c): mark(cell) for r, row in enumerate(shown) for c, cell in enumerate(row)}


def recoverable_cells(
    table: Sequence[Sequence[int]],
    shown: Sequence[Sequence[Cell]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
) -> set[tuple[int, int]]:
    """The ``(row, column)`` of every suppressed cell of ``shown`` (the published form of
    ``table``) whose value can be worked out from what is shown."""
    lines = table_lines(len(table), len(table[0]) if table else 0, row_totals=row_totals, column_totals=column_totals)
    return recoverable(_grid_values(table), marks_of(shown), lines)
