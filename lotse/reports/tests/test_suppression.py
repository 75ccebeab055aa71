"""Small-cell and secondary suppression (:mod:`lotse.reports.suppression`).

The acceptance test of the issue: a table with cells of 1 to 4 and its totals is suppressed,
then an auditor written *here* – independently of the module's own – enumerates every table
an attacker could still believe in and asserts that every suppressed cell has at least two
possible values, so none can be derived from the row and column totals shown.

The attacker of these tests is strong: they know the rules, so ``"< 5"`` is 1 to 4, ``"x"`` is
at least 5 (zeros are shown or withheld, small values are ``"< 5"`` or withheld) and ``"."``
(withheld) is anything. A table safe against this attacker is safe against one who reads
``"x"`` as "0 or at least 5" too.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any

import pytest

from lotse.reports.suppression import (
    BLANK,
    HIDDEN,
    PRIMARY,
    SECONDARY,
    SHOWN,
    SMALL,
    WITHHELD,
    Line,
    recoverable,
    recoverable_cells,
    suppress,
    suppress_table,
)

Grid = list[list[int]]
Shown = Sequence[Sequence[int | str]]


def with_totals(cells: Grid) -> Grid:
    """The cells with a total column and a total row (and the grand total)."""
    table = [[*row, sum(row)] for row in cells]
    table.append([sum(row[c] for row in table) for c in range(len(table[0]))])
    return table


def possible_values(table: Grid, shown: Shown) -> dict[tuple[int, int], set[int]]:
    """Brute force: values each suppressed cell can take in tables that agree with everything
    shown – for every suppressed cell, a search for a table in which it differs from the true
    one. A search enumerates the inner cells row by row, each suppressed one over every value
    of its range ("< 5": 1–4, "x": 5 and more) that still lets its row, its column and the
    grand total reach what is shown (a shown total exactly, a suppressed total within its
    range), and stops at the first complete table that agrees with everything shown. A cell
    left with one value has been searched completely."""
    rows, cols = len(table) - 1, len(table[0]) - 1  # inner cells
    hidden = [(r, c) for r in range(rows + 1) for c in range(cols + 1) if shown[r][c] in (SMALL, HIDDEN, BLANK)]
    # no cell of a table of counts exceeds the grand total (if that is hidden too: a generous cap)
    grand = shown[rows][cols]
    cap = grand if isinstance(grand, int) else 2 * table[rows][cols] + 10
    ranges: dict[tuple[int, int], tuple[int, int]] = {}

    def bounds(r: int, c: int) -> tuple[int, int]:
        if (r, c) in ranges:
            return ranges[(r, c)]
        mark = shown[r][c]
        if mark == SMALL:
            return 1, 4
        if mark == HIDDEN:
            return 5, cap
        if mark == BLANK:
            return 0, cap
        assert isinstance(mark, int)
        return mark, mark

    def fits(r: int, c: int, value: int) -> bool:
        low, high = bounds(r, c)
        return low <= value <= high

    grid = [[0] * cols for _ in range(rows)]

    def window(low: int, high: int, done: int, rest: list[tuple[int, int]], total: tuple[int, int]) -> tuple[int, int]:
        """Narrow a cell's range so that done + cell + rest can still make the total."""
        rest_low, rest_high = sum(b[0] for b in rest), sum(b[1] for b in rest)
        return max(low, total[0] - done - rest_high), min(high, total[1] - done - rest_low)

    def first(position: int) -> Grid | None:
        if position == rows * cols:
            full = with_totals(grid)
            if all(fits(r, c, full[r][c]) for r in range(rows + 1) for c in range(cols + 1)):
                return full
            return None
        r, c = divmod(position, cols)
        low, high = bounds(r, c)
        row_rest = [bounds(r, j) for j in range(c + 1, cols)]
        low, high = window(low, high, sum(grid[r][:c]), row_rest, bounds(r, cols))
        col_rest = [bounds(i, c) for i in range(r + 1, rows)]
        low, high = window(low, high, sum(grid[i][c] for i in range(r)), col_rest, bounds(rows, c))
        later = [bounds(*divmod(p, cols)) for p in range(position + 1, rows * cols)]
        done = sum(grid[i][j] for i, j in (divmod(p, cols) for p in range(position)))
        low, high = window(low, high, done, later, bounds(rows, cols))
        for value in range(low, high + 1):
            grid[r][c] = value
            found = first(position + 1)
            if found is not None:
                return found
        grid[r][c] = 0
        return None

    # the true table agrees with what is shown: its values count as possible
    assert all(fits(r, c, table[r][c]) for r in range(rows + 1) for c in range(cols + 1))
    seen: dict[tuple[int, int], set[int]] = {(r, c): {table[r][c]} for r, c in hidden}
    for r, c in hidden:
        low, high = bounds(r, c)
        for other in ((low, table[r][c] - 1), (table[r][c] + 1, high)):
            if len(seen[(r, c)]) >= 2 or other[0] > other[1]:
                continue
            ranges[(r, c)] = other
            grid = [[0] * cols for _ in range(rows)]
            found = first(0)
            del ranges[(r, c)]
            if found is not None:
                for i, j in hidden:
                    seen[(i, j)].add(found[i][j])
    return seen


def assert_protected(table: Grid, shown: Shown) -> None:
    """Every suppressed non-zero cell has two possible values at least (a withheld zero that
    can be worked out tells no more than the 0 the rules would show)."""
    values = possible_values(table, shown)
    assert values, "nothing was suppressed"
    for (r, c), possible in values.items():
        if table[r][c] == 0:
            continue
        assert len(possible) >= 2, f"cell {(r, c)} = {table[r][c]} can be derived from {shown}"


def test_the_acceptance_table_with_cells_one_to_four_is_protected():
    cells = [
        [3, 12, 7, 1],
        [9, 2, 14, 6],
        [4, 8, 0, 11],
        [15, 6, 3, 10],
    ]
    table = with_totals(cells)
    assert table[4] == [31, 28, 24, 28, 111]
    shown = suppress_table(table)
    # every 1..4 is "< 5", zeros stay, the rest of what is shown is the true value
    for r, row in enumerate(table):
        for c, value in enumerate(row):
            if 1 <= value <= 4:
                assert shown[r][c] == SMALL
            elif value == 0:
                assert shown[r][c] == 0
            else:
                assert shown[r][c] in (value, HIDDEN)
    # primary suppression alone would give cells away: 3 = 23 - 12 - 7 - 1 in the first row
    primary_only = [[SMALL if 1 <= v <= 4 else v for v in row] for row in table]
    assert possible_values(table, primary_only)[(0, 0)] == {3}
    # after secondary suppression nothing can be derived – checked by brute force
    assert_protected(table, shown)
    # ... and the module's own auditor agrees
    assert recoverable_cells(table, shown) == set()


@pytest.mark.parametrize("seed", range(3))
def test_random_tables_are_protected(seed: int):
    """300 random 3 × 4 tables (values 0..12, many small ones) per seed, each checked by the
    brute-force auditor above."""
    rng = random.Random(seed)
    checked = 0
    for _ in range(100):
        cells = [[rng.choice([0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) for _ in range(4)] for _ in range(3)]
        table = with_totals(cells)
        shown = suppress_table(table)
        if any(value in (SMALL, HIDDEN, BLANK) for row in shown for value in row):
            assert_protected(table, shown)
            checked += 1
        else:
            assert shown == table
    assert checked > 80


def test_the_auditor_agrees_with_brute_force_on_primary_suppression_alone():
    """The module's exact auditor finds precisely the cells the brute force finds."""
    rng = random.Random(7)
    for _ in range(150):
        cells = [[rng.randint(0, 9) for _ in range(3)] for _ in range(2)]
        table = with_totals(cells)
        shown = [[SMALL if 1 <= v <= 4 else v for v in row] for row in table]
        derivable = {cell for cell, values in possible_values(table, shown).items() if len(values) < 2}
        assert recoverable_cells(table, shown) == derivable


def test_zeros_are_shown_as_zero():
    table = with_totals([[0, 10, 7], [6, 0, 9]])
    assert suppress_table(table) == table


def test_a_table_without_small_cells_is_unchanged():
    table = with_totals([[10, 25, 7], [6, 12, 9], [30, 5, 8]])
    assert suppress_table(table) == table


def test_a_line_with_one_small_cell_gets_a_secondary_cell():
    # rows: 3+10+7=20 and 6+12+9=27; columns: 9, 22, 16; grand total 47
    table = with_totals([[3, 10, 7], [6, 12, 9]])
    shown = suppress_table(table)
    assert shown[0][0] == SMALL
    # in the first row the smallest further cell (7) is suppressed, in the first column the 6
    assert shown[0] == [SMALL, 10, HIDDEN, 20]
    assert [row[0] for row in shown] == [SMALL, HIDDEN, 9]
    # and so the second row needs another cell as well: the 9 also protects the third column
    assert shown[1] == [HIDDEN, 12, HIDDEN, 27]
    assert shown[2] == [9, 22, 16, 47]
    assert_protected(table, shown)


def test_small_totals_are_suppressed():
    # the first row adds up to 4, the second column to 3
    table = with_totals([[0, 0, 4], [8, 3, 0], [6, 0, 9]])
    assert table[0][3] == 4 and table[3][1] == 3
    shown = suppress_table(table)
    assert shown[0][3] == SMALL
    assert shown[3][1] == SMALL
    assert_protected(table, shown)


def test_two_small_cells_whose_sum_forces_both_get_more_suppression():
    # 4 + 4 = 8: with 8 shown as the rest of the row, both small cells would be known
    table = with_totals([[4, 4, 20], [10, 11, 12]])
    primary_only = [[SMALL if 1 <= v <= 4 else v for v in row] for row in table]
    assert recoverable_cells(table, primary_only) == {(0, 0), (0, 1)}
    shown = suppress_table(table)
    assert_protected(table, shown)


def test_a_small_cell_next_to_a_five_is_not_left_with_one_value():
    # 1 + x = 6 with x >= 5 would force 1 and 5: the auditor sees it, so more is suppressed
    table = with_totals([[1, 5], [9, 8]])
    shown = [[SMALL, HIDDEN, 6], [9, 8, 17], [10, 13, 23]]
    assert recoverable_cells(table, shown) == {(0, 0), (0, 1)}
    assert_protected(table, suppress_table(table))


def test_linked_tables_share_their_cells():
    """A district total row is also a row of the state table: its marks are shared."""
    values = {"a1": 3, "a2": 9, "a": 12, "b1": 20, "b2": 7, "b": 27, "state": 39}
    lines = [Line(("a1", "a2"), "a"), Line(("b1", "b2"), "b"), Line(("a", "b"), "state")]
    marks = suppress(values, lines)
    assert marks["a1"] == PRIMARY
    assert marks["a2"] == SECONDARY
    # a1 + a2 = 12 with a1 in 1..4 and a2 >= 5 leaves four possibilities for each
    assert recoverable(values, marks, lines) == set()
    assert marks["b1"] == SHOWN


def test_totals_that_do_not_add_up_are_refused():
    with pytest.raises(ValueError):
        recoverable({"a": 3, "b": 20, "t": 30}, {"a": PRIMARY, "b": SHOWN, "t": SHOWN}, [Line(("a", "b"), "t")])


# --- linked tables: districts with providers, and the state ----------------------------------


def linked_system(rng: random.Random, districts: int = 2, providers: int = 2, columns: int = 2) -> tuple[dict, list]:
    """Provider rows with a total column per district, the district total rows, and the state
    table whose rows are the district totals – as the controlling export links them."""
    values: dict[tuple, int] = {}
    lines: list[Line] = []
    width = columns + 1
    state = [0] * width
    for d in range(districts):
        district = [0] * width
        for p in range(providers):
            row = [rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 11]) for _ in range(columns)]
            row.append(sum(row))
            for c, value in enumerate(row):
                values[("p", d, p, c)] = value
                district[c] += value
            lines.append(Line(tuple(("p", d, p, c) for c in range(columns)), ("p", d, p, columns)))
        for c in range(width):
            values[("d", d, c)] = district[c]
            state[c] += district[c]
            lines.append(Line(tuple(("p", d, p, c) for p in range(providers)), ("d", d, c)))
        lines.append(Line(tuple(("d", d, c) for c in range(columns)), ("d", d, columns)))
    for c in range(width):
        values[("s", c)] = state[c]
        lines.append(Line(tuple(("d", d, c) for d in range(districts)), ("s", c)))
    lines.append(Line(tuple(("s", c) for c in range(columns)), ("s", columns)))
    return values, lines


def derivable(values: dict, marks: dict, lines: list[Line]) -> set:
    """Brute force over any system of lines: for every suppressed cell a depth-first search
    for an assignment of all suppressed cells ("< 5": 1–4, "x": 5 up to the grand total, ".":
    0 up to the grand total) in which it differs from the truth and every line adds up; partial assignments are cut when
    a line can no longer add up. Returns the non-zero cells for which there is none."""
    hidden = [key for key, mark in marks.items() if mark != SHOWN]
    # no cell exceeds the grand total (if it is suppressed too, capping only makes the test stricter)
    cap = max(values.values())
    lines_of: dict = {}
    for line in lines:
        for key in line.cells:
            lines_of.setdefault(key, []).append(line)
    order = list(dict.fromkeys(key for line in lines for key in line.cells if key in set(hidden)))
    assigned = {key: value for key, value in values.items() if marks[key] == SHOWN}
    ranges: dict = {}

    def bounds(key: Any) -> tuple[int, int]:
        if key in assigned:
            return assigned[key], assigned[key]
        return ranges.get(key, {PRIMARY: (1, 4), SECONDARY: (5, cap), WITHHELD: (0, cap)}[marks[key]])

    def fits(key: Any) -> bool:
        for line in lines_of[key]:
            low = sum(bounds(part)[0] for part in line.parts)
            high = sum(bounds(part)[1] for part in line.parts)
            total_low, total_high = bounds(line.total)
            if high < total_low or low > total_high:
                return False
        return True

    def first(position: int) -> dict | None:
        if position == len(order):
            return dict(assigned)
        key = order[position]
        low, high = bounds(key)
        for value in range(low, high + 1):
            assigned[key] = value
            found = first(position + 1) if fits(key) else None
            del assigned[key]
            if found is not None:
                return found
        return None

    seen = {key: {values[key]} for key in hidden}
    for key in hidden:
        low, high = bounds(key)
        for other in ((low, values[key] - 1), (values[key] + 1, high)):
            if len(seen[key]) >= 2 or other[0] > other[1]:
                continue
            ranges[key] = other
            found = first(0)
            del ranges[key]
            if found is not None:
                for cell in hidden:
                    seen[cell].add(found[cell])
    return {key for key, possible in seen.items() if len(possible) < 2 and values[key] > 0}


def test_small_values_that_give_themselves_away_are_withheld():
    """Four cells of "< 5" adding up to a total of "< 5" are all 1, whatever else is hidden:
    the total is withheld (".": no statement), and the rest stays as it was."""
    table = with_totals([[4, 4, 4, 1], [1, 1, 1, 1]])
    assert table[1][4] == 4
    everything_but_zeros = [[SMALL if 1 <= v <= 4 else HIDDEN for v in row] for row in table]
    assert possible_values(table, everything_but_zeros)[(1, 0)] == {1}
    shown = suppress_table(table)
    assert shown[1] == [SMALL, SMALL, SMALL, SMALL, BLANK]
    assert shown[0] == [SMALL, SMALL, SMALL, SMALL, 13]
    assert_protected(table, shown)
    assert recoverable_cells(table, shown) == set()


def test_random_tables_with_many_small_values_are_protected():
    """Tables of 1s and 4s and zeros – where withholding is needed – of several shapes."""
    rng = random.Random(11)
    withheld = 0
    for _ in range(150):
        rows, cols = rng.randint(1, 3), rng.randint(2, 4)
        cells = [[rng.choice([0, 1, 1, 1, 4]) for _ in range(cols)] for _ in range(rows)]
        table = with_totals(cells)
        shown = suppress_table(table)
        withheld += any(value == BLANK for row in shown for value in row)
        if shown != table:
            assert_protected(table, shown)
    assert withheld >= 10


def test_linked_district_and_state_tables_are_protected():
    rng = random.Random(3)
    for _ in range(60):
        values, lines = linked_system(rng)
        marks = suppress(values, lines)
        assert derivable(values, marks, lines) == set()
        # the module's auditor finds exactly what the brute force finds
        small = {key: PRIMARY if 1 <= value <= 4 else SHOWN for key, value in values.items()}
        assert recoverable(values, small, lines) == derivable(values, small, lines)


def test_unpublished_cells_carry_relations_but_need_no_protection():
    """Opened <= active, written as active = opened + carried over with an unpublished cell
    (any value from 0). Provider A opened 3 and had 3 active; B 6 and 7; the district 9 and
    10. Hiding B's 6 and 7 protects A's small values; that 10 − 9 = 1 case was carried over in
    the district follows from the published totals and is no cell to protect."""
    values = {"Ao": 3, "Aa": 3, "Bo": 6, "Ba": 7, "To": 9, "Ta": 10, "cA": 0, "cB": 1, "cT": 1}
    lines = [
        Line(("Ao", "Bo"), "To"),
        Line(("Aa", "Ba"), "Ta"),
        Line(("Ao", "cA"), "Aa"),
        Line(("Bo", "cB"), "Ba"),
        Line(("To", "cT"), "Ta"),
    ]
    unpublished = {"cA", "cB", "cT"}
    marks = suppress(values, lines, unpublished=unpublished)
    assert {key: marks[key] for key in ("Ao", "Aa", "Bo", "Ba", "To", "Ta")} == {
        "Ao": PRIMARY,
        "Aa": PRIMARY,
        "Bo": SECONDARY,
        "Ba": SECONDARY,
        "To": SHOWN,
        "Ta": SHOWN,
    }
    assert all(marks[key] == WITHHELD for key in unpublished)
    published = [key for key in values if key not in unpublished]
    assert recoverable(values, marks, lines, keys=published) == set()
    assert "cT" in recoverable(values, marks, lines)  # derivable, and allowed to be


def test_relations_between_columns_are_taken_into_account():
    """Without the relation, showing A's opened 7 would be safe; with it (opened <= active),
    A's hidden active would follow as 7 – so it stays hidden."""
    values = {"Ao": 7, "Aa": 7, "Bo": 3, "Ba": 3, "To": 10, "Ta": 10, "Co": 1, "Ca": 1, "So": 11, "Sa": 11}
    values.update({"cA": 0, "cB": 0, "cT": 0, "cC": 0, "cS": 0})
    lines = [
        Line(("Ao", "Bo"), "To"),
        Line(("Aa", "Ba"), "Ta"),
        Line(("To", "Co"), "So"),
        Line(("Ta", "Ca"), "Sa"),
    ]
    relations = [Line((f"{row}o", f"c{row}"), f"{row}a") for row in "ABTCS"]
    marks = {key: PRIMARY if key in ("Bo", "Ba", "Co", "Ca") else SHOWN for key in values}
    marks.update({"Aa": SECONDARY, "To": SECONDARY, "Ta": SECONDARY})
    marks.update({f"c{row}": WITHHELD for row in "ABTCS"})
    published = ["Ao", "Aa", "Bo", "Ba", "To", "Ta", "Co", "Ca", "So", "Sa"]
    assert recoverable(values, marks, lines, keys=published) == set()
    assert recoverable(values, marks, lines + relations, keys=published) == {"Aa"}
    marks["Ao"] = SECONDARY
    assert recoverable(values, marks, lines + relations, keys=published) == set()
