"""What the section modules of the "RCEP pathways" chapter share: the source lines and the rounding of
chart data."""

from __future__ import annotations

import pandas as pd

from helpers import text

SOURCE_DATA = (
    "WTO digitally delivered services (data/wto_dds_exports.csv); UNCTAD via World Bank Data360 "
    "(data/unctad_dds.csv); World Bank WDI (data/wdi.csv); KOF, Chinn-Ito (data/openness.csv)"
)
SOURCE_MODEL = "estimates of this chapter, from the tables named in its data section"


def _round(df: pd.DataFrame, digits: int = 6) -> pd.DataFrame:
    """Round floats for embedding in charts (stable outputs, small specs)."""
    return df.apply(lambda c: c.round(digits) if pd.api.types.is_float_dtype(c) else c)


def _sample_years(frame: pd.DataFrame) -> str:
    return text.year_span(int(frame["year"].min()), int(frame["year"].max()))
