"""Privacy rules for record-level inputs: aggregates only, and no cell from fewer than MIN_CELL units."""

from __future__ import annotations

import pandas as pd

MIN_CELL = 10
SUPPRESSED = f"<{MIN_CELL}"


def suppress_small_cells(table: pd.DataFrame, count_column: str, min_cell: int = MIN_CELL) -> pd.DataFrame:
    """Replace counts below `min_cell` by '<10' and flag the row; derived shares are blanked too."""
    small = table[count_column] < min_cell
    shown = table.astype({count_column: object}).copy()
    shown.loc[small, count_column] = SUPPRESSED
    for column in shown.columns:
        if column.startswith("share"):
            shown[column] = shown[column].astype(object)
            shown.loc[small, column] = ""
    shown["suppressed"] = small
    return shown


def at_risk_floor(curve: pd.DataFrame, at_risk_column: str = "at_risk", min_cell: int = MIN_CELL) -> pd.DataFrame:
    """Cut a survival curve where fewer than `min_cell` units remain at risk."""
    return curve[curve[at_risk_column] >= min_cell].reset_index(drop=True)
