"""Complementary (secondary) suppression: a count hidden because it is small must not be
recoverable by subtracting the shown counts from a declared total (row, column or figure set).
Each test is the attack: it works the hidden count out from what the report shows."""

import itertools

import pytest

from core.report_sections import (
    NOT_SHOWN,
    Figure,
    Percent,
    ReportSection,
    Table,
    protect,
    suppress_section,
    suppress_table,
)

N = 5


def _recoverable(table: Table) -> list[tuple[int, int]]:
    """The hidden cells a reader can work out exactly: a row or column relation with exactly one
    unknown among its shown total and parts. Tried until nothing new (a recovered cell helps
    the next relation)."""
    known = {
        (r, c): cell
        for r, row in enumerate(table.rows)
        for c, cell in enumerate(row)
        if c in table.count_columns and isinstance(cell, int)
    }
    hidden = {
        (r, c)
        for r, row in enumerate(table.rows)
        for c, cell in enumerate(row)
        if c in table.count_columns and not isinstance(cell, int)
    }
    relations = []
    counts = sorted(table.count_columns)
    rows = range(len(table.rows))
    if table.total_column is not None:
        parts = [c for c in counts if c != table.total_column]
        relations += [((r, table.total_column), [(r, c) for c in parts]) for r in rows]
    if table.total_row is not None:
        relations += [
            ((table.total_row, c), [(r, c) for r in rows if r != table.total_row]) for c in counts
        ]
    recovered = []
    progress = True
    while progress:
        progress = False
        for total, parts in relations:
            unknown = [c for c in [total, *parts] if c not in known]
            if len(unknown) != 1:
                continue
            cell = unknown[0]
            if cell == total:
                known[cell] = sum(known[p] for p in parts)
            else:
                known[cell] = known[total] - sum(known[p] for p in parts if p != cell)
            recovered.append(cell)
            progress = True
    return [c for c in recovered if c in hidden]


def _hidden_values(original: Table, shown: Table) -> dict:
    return {
        (r, c): original.rows[r][c]
        for r, row in enumerate(shown.rows)
        for c, cell in enumerate(row)
        if c in original.count_columns and cell == NOT_SHOWN
    }


def test_the_demo_peps_row_no_longer_gives_away_the_late_pep():
    # Needed 8, on time 7, late 1, not held 0: "fewer than 5" late was 8 - 7 - 0 = 1.
    table = Table(
        "PEPs",
        ["Term", "Needed", "On time", "Late", "Not held"],
        [["Autumn", 8, 7, 1, 0]],
        count_columns=(1, 2, 3, 4),
        total_column=1,
    )
    shown = suppress_table(table, N)
    assert shown.rows[0][3] == NOT_SHOWN
    assert shown.rows[0][2] == NOT_SHOWN  # the next smallest, hidden with it
    assert shown.rows[0][1] == 8
    assert _recoverable(shown) == []


def test_without_the_declared_total_only_small_counts_are_hidden():
    table = Table("T", ["G", "A", "B"], [["x", 8, 3]], count_columns=(1, 2))
    assert suppress_table(table, N).rows == [["x", 8, "fewer than 5"]]


def test_a_total_row_protects_each_column():
    # Column "In care": 2 + 9 + 11 = 22; the 2 would be 22 - 9 - 11.
    table = Table(
        "Destinations",
        ["Destination", "In care", "Previously in care"],
        [["School", 2, 10], ["College", 9, 6], ["Work", 11, 7], ["All", 22, 23]],
        count_columns=(1, 2),
        total_row=3,
    )
    shown = suppress_table(table, N)
    assert shown.rows[0][1] == NOT_SHOWN
    assert shown.rows[1][1] == NOT_SHOWN  # 9: the next smallest in the column
    assert shown.rows[0][2] == 10 and shown.rows[3][1] == 22
    assert _recoverable(shown) == []


def test_rows_and_columns_together_are_protected_to_a_fixed_point():
    # A table with a total row and a total column: hiding for a row creates a single hidden
    # cell in a column, which must be protected in turn.
    table = Table(
        "Groups by year",
        ["Year", "All", "A", "B", "C"],
        [
            ["7", 20, 3, 8, 9],
            ["8", 25, 7, 10, 8],
            ["9", 30, 12, 6, 12],
            ["All", 75, 22, 24, 29],
        ],
        count_columns=(1, 2, 3, 4),
        total_row=3,
        total_column=1,
    )
    shown = suppress_table(table, N)
    assert shown.rows[0][2] == NOT_SHOWN
    assert _recoverable(shown) == []
    # Every row and every column with a hidden cell has at least two.
    for r in range(4):
        assert sum(cell == NOT_SHOWN for cell in shown.rows[r][1:]) in (0, 2, 3, 4)
    for c in range(1, 5):
        assert sum(row[c] == NOT_SHOWN for row in shown.rows) in (0, 2, 3, 4)


def test_two_hidden_cells_whose_sum_is_small_are_not_enough():
    # Total 12, parts 1, 2, 9: hiding 1 and 2 leaves their sum 3 = 12 - 9, so the reader
    # knows both are small and together three children: the 9 is hidden too.
    table = Table("T", ["G", "All", "A", "B", "C"], [["x", 12, 1, 2, 9]], (1, 2, 3, 4))
    table = Table(table.caption, table.headers, table.rows, table.count_columns, total_column=1)
    shown = suppress_table(table, N)
    assert shown.rows[0][2:] == [NOT_SHOWN, NOT_SHOWN, NOT_SHOWN]
    assert shown.rows[0][1] == 12


def test_a_small_total_is_hidden_and_so_are_its_parts():
    table = Table("T", ["G", "All", "A", "B"], [["x", 3, 3, 0]], (1, 2, 3), total_column=1)
    shown = suppress_table(table, N)
    assert shown.rows[0][1] == NOT_SHOWN and shown.rows[0][2] == NOT_SHOWN


def test_the_smallest_part_goes_first_and_a_small_total_protects_itself():
    # Total 5 = 1 + 4 + 0 would be fine (1 and 4 hidden, their sum 5 not small); but a total
    # shown with hidden parts 1 and 0 says "those two are one child": the total goes too.
    assert protect({"t": 1 + 0, "a": 1, "b": 0}, [("t", ["a", "b"])], N) == {"t", "a"}
    assert protect({"t": 5, "a": 1, "b": 4, "c": 0}, [("t", ["a", "b", "c"])], N) == {"a", "b"}
    # A shown total of 6 = 1 + 0 + 5 in a row of a total column: 1 and 0 hidden sum to one
    # child, so the 5 goes as well.
    assert protect({"t": 6, "a": 1, "b": 0, "c": 5}, [("t", ["a", "b", "c"])], N) == {"a", "c"}


@pytest.mark.parametrize("values", list(itertools.product([0, 1, 3, 5, 8], repeat=3)))
def test_no_single_relation_ever_gives_a_hidden_cell_away(values):
    a, b, c = values
    table = Table(
        "T", ["G", "All", "A", "B", "C"], [["x", a + b + c, a, b, c]], (1, 2, 3, 4), total_column=1
    )
    shown = suppress_table(table, N)
    assert _recoverable(shown) == []
    hidden = _hidden_values(table, shown)
    small = [v for v in hidden.values() if 0 < v < N]
    if small and shown.rows[0][1] != NOT_SHOWN:
        # What a reader can work out, the hidden parts' sum, is itself not small.
        assert sum(v for (r, col), v in hidden.items() if col != 1) >= N


def test_figures_that_add_up_are_protected_and_read_alike():
    section = ReportSection(
        key="x",
        title="X",
        figures=[
            Figure("All children in a group", 12),
            Figure("In care", 9),
            Figure("Previously in care", 3),
            Figure("Kinship", 2),
        ],
        sums=[("All children in a group", ["In care", "Previously in care"])],
    )
    shown = {f.label: f.value for f in suppress_section(section, N).figures}
    assert shown["Previously in care"] == NOT_SHOWN
    assert shown["In care"] == NOT_SHOWN  # 12 - 9 would give the 3 away
    assert shown["All children in a group"] == 12
    assert shown["Kinship"] == "fewer than 5"  # in no relation


def test_a_declared_total_that_does_not_add_up_is_refused():
    table = Table("T", ["G", "All", "A"], [["x", 9, 3]], (1, 2), total_column=1)
    with pytest.raises(ValueError, match="not the sum"):
        suppress_table(table, N)


def test_percentages_of_small_groups_or_small_complements_are_withheld():
    section = ReportSection(
        key="x",
        title="X",
        figures=[Figure("On time", Percent(7, 8), children=False)],
        tables=[
            Table(
                "T",
                ["Subject", "In care", "Previously"],
                [
                    ["Maths", Percent(6, 12), Percent(2, 3)],
                    ["English", Percent(2, 10), Percent(0, 0)],
                ],
            )
        ],
    )
    shown = suppress_section(section, N)
    assert shown.figures[0].value == "not shown (a group of fewer than 5)"  # 1 was late
    assert shown.tables[0].rows == [
        ["Maths", "50%", "not shown (fewer than 5 children)"],
        ["English", "not shown (a group of fewer than 5)", "–"],
    ]
