"""The curated tables in ``data/``: one definition per table, used three ways.

1. ``make data`` writes ``data/datapackage.json`` (Frictionless Data Package) from these definitions;
2. every load validates the CSV against them (with pandera, see :mod:`helpers.data.datastore`);
3. the data appendix lists their sources, licences and vintages.

Field types follow Frictionless Table Schema: ``string``, ``integer``, ``number``, ``boolean``.
Year coverage (``minimum``/``maximum`` of a year field) is *not* typed here: ``make data`` measures
it from the table and records it in ``datapackage.json``, which the manifest protects.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    description: str
    unit: str | None = None
    required: bool = True
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    # iso3 fields are checked against countries.csv; year fields against the declared coverage
    role: str | None = None  # "iso3" | "year" | None

    def to_frictionless(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "type": self.type, "description": self.description}
        if self.unit:
            out["unit"] = self.unit
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        if self.pattern:
            constraints["pattern"] = self.pattern
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class Source:
    title: str
    path: str  # repository@commit:path, or a URL
    note: str = ""


@dataclass(frozen=True)
class Resource:
    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    sources: tuple[Source, ...]
    licence: str
    vintage: str
    raw: str  # raw extract(s) the table is curated from, relative to ../shared/data/raw (or "hand")
    # name of a value-bounds check implemented in datastore (per-indicator / per-measure bounds)
    bounds_from: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def path(self) -> str:
        return f"{self.name}.csv"

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)


ISO3 = Field("iso3", "string", "ISO 3166-1 alpha-3 code (WLD = World)", pattern=r"^[A-Z]{3}$", role="iso3")
# Years: a plausible calendar range here (a typo such as 3024 fails), the measured coverage in datapackage.json.
YEAR_MIN, YEAR_MAX = 1900, 2100
YEAR = Field("year", "integer", "Calendar year of the observation", minimum=YEAR_MIN, maximum=YEAR_MAX, role="year")
USD_MN = "US$ million, current prices"

WDI_SOURCE = Source(
    "World Bank, World Development Indicators (CC BY 4.0), via Gapminder Open Numbers / Systema Globalis "
    "and datahub.io GitHub mirrors",
    "open-numbers/ddf--open_numbers--world_development_indicators@01a34e8b (most series); "
    "open-numbers/ddf--gapminder--systema_globalis@c63631ab; datasets/gdp@822019c8; datasets/population@425fc447",
    "Per-indicator source commit in wdi_indicators.csv",
)
WTO_DDS = "WTO, Digitally Delivered Services dataset (https://data.wto.org/en/dataset/dideliveredservices)"

RESOURCES: tuple[Resource, ...] = (
    Resource(
        name="countries",
        title="Economies, groups and display names",
        description="Every ISO3 code the book knows: the 15 RCEP members, the comparators (USA, IND, GBR, DEU), "
        "the World aggregate and the other economies of the UNCTAD digitally-deliverable-services table. "
        "Income groups are the World Bank's FY2025 classification (July 2024), given for RCEP members and comparators.",
        fields=(
            Field("iso3", "string", "ISO3 code", pattern=r"^[A-Z]{3}$"),
            Field("name", "string", "Name as in the source (World Bank naming)"),
            Field("display_name", "string", "Short name used in charts"),
            Field("role", "string", "Role in the report", enum=("rcep", "comparator", "world", "aggregate", "other")),
            Field("is_asean", "boolean", "Member of ASEAN"),
            Field(
                "income_group",
                "string",
                "World Bank income group, FY2025",
                required=False,
                enum=("High income", "Upper middle income", "Lower middle income", "Low income"),
            ),
        ),
        primary_key=("iso3",),
        sources=(
            Source("UNCTAD area names (via World Bank Data360)", "unctad_digitally_deliverable_services_trade.csv"),
            Source(
                "World Bank country classifications by income level, FY2025 (1 July 2024)",
                "https://datahelpdesk.worldbank.org/knowledgebase/articles/906519",
            ),
            Source("RCEP Agreement, Parties (signed 15 November 2020)", "https://rcepsec.org/legal-text/"),
        ),
        licence="CC BY 4.0 (names: UNCTAD/World Bank); classification: World Bank",
        vintage="UNCTAD area list accessed 2025-12-18; income groups FY2025",
        raw="digital_services/unctad_digitally_deliverable_services_trade.csv + hand-coded groups in helpers.data.curate",
    ),
    Resource(
        name="wdi",
        title="World Development Indicators: RCEP members, comparators and World",
        description="Long table of WDI series (services trade, ICT exports, composition shares, GDP, "
        "digital infrastructure, governance, R&D, high-tech exports). Values exactly as published; "
        "a missing row means the source has no value.",
        fields=(
            ISO3,
            YEAR,
            Field("indicator", "string", "WDI series code (see wdi_indicators)"),
            Field("value", "number", "Value in the unit of the indicator (see wdi_indicators.unit)"),
        ),
        primary_key=("iso3", "year", "indicator"),
        sources=(WDI_SOURCE,),
        licence="CC BY 4.0",
        vintage="WDI 2025 release for most series (data to 2024); see wdi_indicators for exceptions",
        raw="wdi/wdi_rcep.csv",
        bounds_from="wdi_indicators",
    ),
    Resource(
        name="wdi_indicators",
        title="WDI indicator metadata",
        description="Name, unit, plausible bounds and source commit of each WDI series in wdi.csv. "
        "Bounds are what the unit allows (levels non-negative, shares within 0-100) except where the "
        "source publishes values outside them, as documented in `note`.",
        fields=(
            Field("indicator", "string", "WDI series code"),
            Field("name", "string", "Series name"),
            Field("unit", "string", "Unit of value"),
            Field("topic", "string", "Topic group", enum=("trade", "economy", "digital", "governance", "innovation")),
            Field("min_value", "number", "Lowest admissible value", required=False),
            Field("max_value", "number", "Highest admissible value", required=False),
            Field("source_commit", "string", "Source repository and commit"),
            Field("note", "string", "Caveats", required=False),
        ),
        primary_key=("indicator",),
        sources=(WDI_SOURCE,),
        licence="CC BY 4.0",
        vintage="as wdi",
        raw="wdi/PROVENANCE.md (hand-coded in helpers.data.curate)",
    ),
    Resource(
        name="unctad_dds",
        title="UNCTAD: trade in digitally deliverable services (all modes)",
        description="Exports and imports of ICT-deliverable EBOPS categories, all modes of supply. "
        "Rows the source marks as missing (OBS_STATUS=O) are absent.",
        fields=(
            ISO3,
            YEAR,
            Field("flow", "string", "Trade flow", enum=("exports", "imports")),
            Field("value_usd_mn", "number", "Value", unit=USD_MN, minimum=0),
        ),
        primary_key=("iso3", "year", "flow"),
        sources=(
            Source(
                "UNCTAD, UNCTADstat 'International trade in digitally-deliverable services' (via World Bank Data360, "
                "UNCTAD_DE_DIG_SERVTRADE_ANN_EXP/IMP)",
                "jeancecilia/unctad-digital-services-trade-regional-aggregates@f457d08b:datasets/UNCTAD_DE.csv",
            ),
        ),
        licence="CC BY 4.0 (packaging); UNCTADstat terms",
        vintage="accessed 2025-12-18; data 2010-2023",
        raw="digital_services/unctad_digitally_deliverable_services_trade.csv",
    ),
    Resource(
        name="wto_dds_exports",
        title="WTO: digitally delivered services exports (Mode 1), total",
        description="Exports of digitally delivered services by reporter; RCEP members, comparators and World only.",
        fields=(
            ISO3,
            YEAR,
            Field("reporter_name_wto", "string", "Reporter name as in the WTO file"),
            Field("value_usd_mn", "number", "Exports", unit=USD_MN, minimum=0),
        ),
        primary_key=("iso3", "year"),
        sources=(
            Source(
                WTO_DDS, "estanimolinas/data-analysis-portfolio@df5bc268:projects/wto-dds-exports/dds_exports_clean.csv"
            ),
        ),
        licence="WTO terms of use (free with attribution)",
        vintage="WTO DDS release with data 2005-2024 (file of 2026-01-15)",
        raw="digital_services/wto_digitally_delivered_services_exports_total.csv",
    ),
    Resource(
        name="wto_dds_2026",
        title="WTO: digitally delivered services, 2026 bulk file (China by sub-sector; selected totals)",
        description="China's exports and imports of digitally delivered services by sub-sector, plus the "
        "totals (DDS) extracted for World imports, Cambodia and Viet Nam imports. 2025 values are preliminary.",
        fields=(
            ISO3,
            Field("flow", "string", "Trade flow", enum=("exports", "imports")),
            YEAR,
            Field(
                "sector_code",
                "string",
                "WTO indicator code (DDS = total)",
                enum=("DDS", "SF", "SG", "SH", "SI1", "SI2", "SI3", "SJ", "SK"),
            ),
            Field("sector_name", "string", "WTO indicator name"),
            Field("value_usd_mn", "number", "Value", unit=USD_MN, minimum=0),
            Field("breaking_series", "string", "WTO series-break flag (B)", required=False, enum=("B",)),
        ),
        primary_key=("iso3", "flow", "year", "sector_code"),
        sources=(Source(WTO_DDS, "datadigger01/Trade_DA@59c0c91d:Data/2026D/DDS_bulk_download.csv"),),
        licence="WTO terms of use (free with attribution)",
        vintage="WTO DDS 2026 release (data 2005-2025; 2025 preliminary)",
        raw="digital_services/wto_dds_2026_china_by_subsector.csv + wto_dds_2026_totals_selected_reporters.csv",
    ),
    Resource(
        name="wto_headlines",
        title="WTO headline figures (Global Trade Outlook and Statistics, Annual Reports)",
        description="One row per number stated in a WTO publication, with the quoted sentence and where it was read.",
        fields=(
            Field("row_id", "integer", "Row number in the raw extract", minimum=1),
            Field(
                "item",
                "integer",
                "Item within the row (a row listing several shares is split, in listed order)",
                minimum=1,
            ),
            Field("report", "string", "WTO publication"),
            Field("report_date", "string", "Publication date as given"),
            Field("metric", "string", "What the number measures"),
            Field("reference_year", "string", "Year or period the number refers to"),
            Field("value", "number", "Level", required=False),
            Field("unit", "string", "Unit of the level", required=False),
            Field("growth_pct", "number", "Growth rate stated in the same sentence", unit="percent", required=False),
            Field("growth_qualifier", "string", "Qualifier of the growth rate as stated", required=False),
            Field("quoted_sentence", "string", "Exact sentence"),
            Field("page_url", "string", "Stored page the sentence was read from"),
            Field("page_title_or_site", "string", "Page title or site"),
            Field("source_type", "string", "Kind of page", required=False),
            Field("note", "string", "Curation note (e.g. sentence shared with the previous row)", required=False),
        ),
        primary_key=("row_id", "item"),
        sources=(Source("WTO publications, as copied on the pages listed per row", "wto_headlines/"),),
        licence="(c) WTO; quoted for review",
        vintage="GTOS Apr 2023 - Apr 2025; Annual Reports 2024, 2025",
        raw="wto_headlines/wto_headline_figures.csv",
    ),
    Resource(
        name="openness",
        title="Institutional openness measures (KOF, Chinn-Ito, Fraser EFW, Heritage)",
        description="Long table of openness measures for the RCEP members and comparators, years 2000 onwards. "
        "See openness_measures for what each measures, its scale and vintage.",
        fields=(
            ISO3,
            YEAR,
            Field("measure", "string", "Measure id (see openness_measures)"),
            Field("value", "number", "Value on the measure's scale"),
        ),
        primary_key=("iso3", "year", "measure"),
        sources=(
            Source(
                "KOF Globalisation Index 2025 (Gygli et al. 2019)", "thynec/CoupCats@b265563b:KOFGI_2025_public.xlsx"
            ),
            Source(
                "Chinn-Ito index (kaopen_2022)", "autopoietik/Fiscal_Rules_Research@ef138d7b:data/raw/kaopen_2022.xlsx"
            ),
            Source(
                "Fraser Institute, Economic Freedom of the World 2019",
                "graebnerc/OpennessDataR@cf8b7107:data-raw/economicdata1970-2017.csv",
            ),
            Source(
                "Heritage Foundation, Index of Economic Freedom (2019 file)",
                "graebnerc/OpennessDataR@cf8b7107:data-raw/hf_data.csv",
            ),
        ),
        licence="No licence stated by the mirrors; cite each publisher (see openness_measures)",
        vintage="KOF 2025 (to 2023); Chinn-Ito 2022 (to 2022); Fraser 2019 report (to 2017); Heritage editions to 2019",
        raw="openness/*.csv",
        bounds_from="openness_measures",
        notes=("Heritage 'year' is the index edition year, which mostly reflects the previous year's conditions.",),
    ),
    Resource(
        name="openness_measures",
        title="Openness measure metadata",
        description="What each openness measure captures, its scale and source.",
        fields=(
            Field("measure", "string", "Measure id"),
            Field("source", "string", "Publisher", enum=("KOF", "Chinn-Ito", "Fraser", "Heritage")),
            Field("source_code", "string", "Code or name in the source"),
            Field("name", "string", "Readable name"),
            Field("scale_min", "number", "Lower end of the scale"),
            Field("scale_max", "number", "Upper end of the scale"),
            Field("description", "string", "What it measures and its limits"),
            Field("vintage", "string", "Release"),
        ),
        primary_key=("measure",),
        sources=(Source("see openness", "openness/PROVENANCE.md"),),
        licence="see openness",
        vintage="see openness",
        raw="openness/PROVENANCE.md (hand-coded in helpers.data.curate)",
    ),
    Resource(
        name="top500_country",
        title="TOP500 supercomputers: systems and Rmax share by country and list",
        description="Counted and summed from the TOP500 lists (no estimation). RCEP members and comparators that "
        "appear, plus WLD = the whole list. Lists 2021-06 to 2023-06, 2024-06 and 2025-11 were not obtained.",
        fields=(
            Field("list_date", "string", "TOP500 list (YYYY-MM)", pattern=r"^(19|20)\d{2}-(06|11)$"),
            Field("iso3", "string", "ISO3 code (WLD = all 500 systems)", pattern=r"^[A-Z]{3}$", role="iso3"),
            Field("n_systems", "integer", "Systems in the list", minimum=0, maximum=500),
            Field("rmax_sum", "number", "Sum of Rmax", minimum=0),
            Field("rmax_unit", "string", "Unit of rmax_sum as in the source", enum=("GFlop/s", "TFlop/s")),
            Field("rmax_share_pct", "number", "Share of the list's total Rmax", unit="percent", minimum=0, maximum=100),
        ),
        primary_key=("list_date", "iso3"),
        sources=(
            Source(
                "TOP500.org, TOP500 lists 2000-06 to 2025-06",
                "glennklockwood/top500-data@2c1b7205; aloupaslbs/Data-Viz@58670528",
            ),
        ),
        licence="(c) TOP500.org; cite 'TOP500.org, TOP500 list <Month Year>'",
        vintage="45 lists, 2000-06 to 2025-06 (gaps listed in description)",
        raw="compute/top500_systems_2000_2025.csv (checked against top500_country_by_list_COMPUTED.csv)",
    ),
    Resource(
        name="epoch_gpu_clusters",
        title="Epoch AI: GPU clusters and AI supercomputers",
        description="One row per cluster with Epoch's own inclusion flags. Sum by country only over rows with "
        "include_standard_analysis = true.",
        fields=(
            Field("row_id", "integer", "Row number in the raw extract (names repeat across phases)", minimum=1),
            Field("name", "string", "Cluster name"),
            Field("status", "string", "Status", enum=("Existing", "Planned", "Decommissioned")),
            Field("country", "string", "Country as in the source", required=False),
            Field(
                "iso3",
                "string",
                "ISO3 where the country is an RCEP member or comparator",
                required=False,
                pattern=r"^[A-Z]{3}$",
                role="iso3",
            ),
            Field("h100_equivalents", "number", "Performance in H100 equivalents", required=False, minimum=0),
            Field("ops_16bit", "number", "16-bit OP/s", required=False, minimum=0),
            Field("first_operational_date", "string", "First operational date", required=False),
            Field("power_mw", "number", "Power capacity", unit="MW", required=False, minimum=0),
            Field("include_standard_analysis", "boolean", "Epoch's 'Include in Standard Analysis' flag"),
        ),
        primary_key=("row_id",),
        sources=(
            Source(
                "Epoch AI, GPU Clusters (https://epoch.ai/data/gpu-clusters)",
                "aloupaslbs/Data-Viz@58670528:gpu_clusters.csv",
            ),
        ),
        licence="CC BY 4.0 (Epoch AI)",
        vintage="2025-11 snapshot",
        raw="compute/epoch_gpu_clusters_2025-11.csv",
    ),
    Resource(
        name="epoch_ai_models",
        title="Epoch AI: notable AI models",
        description="One row per model and organisation country (models credited to several countries appear "
        "once per country; `n_countries` says how many).",
        fields=(
            Field("model", "string", "Model name"),
            Field("organization", "string", "Developer(s)", required=False),
            Field(
                "publication_date",
                "string",
                "Publication date (YYYY-MM-DD)",
                pattern=r"^(19|20)\d{2}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$",
            ),
            Field("year", "integer", "Publication year", minimum=YEAR_MIN, maximum=YEAR_MAX, role="year"),
            Field("country", "string", "Country of organisation, one of the listed", required=False),
            Field(
                "iso3",
                "string",
                "ISO3 where the country is an RCEP member or comparator",
                required=False,
                pattern=r"^[A-Z]{3}$",
                role="iso3",
            ),
            Field("n_countries", "integer", "Number of countries credited", minimum=1),
            Field("frontier_model", "boolean", "Epoch 'Frontier model' flag"),
            Field("training_compute_flop", "number", "Training compute", unit="FLOP", required=False, minimum=0),
        ),
        primary_key=("model", "publication_date", "country"),
        sources=(
            Source(
                "Epoch AI, Notable AI Models (https://epochai.org/data/notable-ai-models)",
                "mxschons/sobe-2025-data-repository@6e8fd472:data/external/epoch-ai/notable-ai-models.csv",
            ),
        ),
        licence="CC BY 4.0 (Epoch AI)",
        vintage="accessed 2026-01-26",
        raw="compute/epoch_notable_ai_models_2026-01-26.csv",
    ),
    Resource(
        name="china_computing_power",
        title="China's computing power as officially reported",
        description="Point statements (not one consistent series): definitions and reference dates differ.",
        fields=(
            Field("row_id", "integer", "Row number in the raw extract", minimum=1),
            Field("reference_period", "string", "Reference period as stated"),
            Field("metric", "string", "What is measured"),
            Field("value", "number", "Value", minimum=0),
            Field("unit", "string", "Unit"),
            Field("reporting_body", "string", "Who reported it"),
            Field("quoted_sentence", "string", "Exact sentence"),
            Field("page_url", "string", "Page"),
            Field("page_date", "string", "Page date", required=False),
        ),
        primary_key=("row_id",),
        sources=(Source("MIIT / CAICT / National Data Administration, via the pages listed per row", "compute/"),),
        licence="quoted for review",
        vintage="statements 2021-2025",
        raw="compute/china_computing_power_reported.csv",
    ),
    Resource(
        name="prices",
        title="US$ price indices: US consumer prices (CPI-U) and the US GDP deflator",
        description="Annual price indices used to deflate world exports in current US$. us_cpi_u: BLS CPI-U, US city "
        "average, all items, annual average, 1982-84 = 100 (2025: average of eleven months, October 2025 was not "
        "published). us_gdp_deflator: World Bank WDI NY.GDP.DEFL.ZS for the United States, 2017 = 100. Both are US "
        "indices, not prices of traded goods or services.",
        fields=(
            Field("index_id", "string", "Price index", enum=("us_cpi_u", "us_gdp_deflator")),
            YEAR,
            Field("value", "number", "Index level (base: see description)", unit="index", minimum=1, maximum=1000),
        ),
        primary_key=("index_id", "year"),
        sources=(
            Source(
                "US Bureau of Labor Statistics, CPI-U (CUUR0000SA0), annual averages (public domain)",
                "PolicyEngine/spm-calculator@22bab36e:spm_calculator/data/bls/cpi_annual.json",
            ),
            Source(
                "World Bank, World Development Indicators, NY.GDP.DEFL.ZS (CC BY 4.0)",
                "open-numbers/ddf--open_numbers--world_development_indicators@01a34e8b:"
                "datapoints/ddf--datapoints--ny_gdp_defl_zs--by--geo--time.csv",
            ),
        ),
        licence="Public domain (BLS); CC BY 4.0 (World Bank)",
        vintage="CPI-U annual averages 2005-2025 (file retrieved 2026-07-18); WDI 2025 release (deflator to 2024)",
        raw="sources/prices/ in this repository (see its PROVENANCE.md), not ../shared/data/raw",
    ),
    Resource(
        name="seed_values",
        title="Figures stated in the source texts (seeds), transcribed",
        description="The seeds' own tables and series (Table 1 of the study; China's digital trade; Guizhou targets), "
        "one value per row with the exact quote. Values are the seeds' claims, not verified data.",
        fields=(
            Field("series_id", "string", "Series id"),
            Field("series_label", "string", "Label, in the seed's own terms"),
            Field("geo", "string", "ISO3 or region code"),
            Field("year", "string", "Year or period"),
            Field("value", "number", "Stated value"),
            Field("unit", "string", "Unit"),
            Field("seed_file", "string", "Seed file"),
            Field("section", "string", "Section or table"),
            Field("quote", "string", "Exact quote (whitespace collapsed)"),
            Field("claim_id", "string", "Row of claims.csv", required=False),
        ),
        primary_key=("series_id", "geo", "year"),
        sources=(Source("Seed texts of the report", "../shared/seeds/"),),
        licence="quoted for review",
        vintage="seeds as supplied",
        raw="hand transcription (checked against the seed texts by make data)",
    ),
    Resource(
        name="claims",
        title="Claims register: every quantitative statement in the five seeds",
        description="One row per number stated in the seeds, with the exact quote and the chapter that discusses it.",
        fields=(
            Field("claim_id", "string", "Claim id", pattern=r"^S\d{3}-\d{3}$"),
            Field("seed_file", "string", "Seed file"),
            Field("section", "string", "Section"),
            Field("quote", "string", "Exact quote (whitespace collapsed)"),
            Field("subject", "string", "What is measured"),
            Field("geo", "string", "ISO3 or region code"),
            Field("value", "number", "Stated value"),
            Field("value_end", "number", "End value for from-to statements", required=False),
            Field("unit", "string", "Unit"),
            Field("year", "string", "Year or period", required=False),
            Field("kind", "string", "Kind of statement"),
            Field(
                "qualifier",
                "string",
                "exact / more_than / nearly / less_than",
                enum=("exact", "more_than", "nearly", "less_than"),
            ),
            Field("chapter", "string", "Chapter that discusses it"),
            Field("note", "string", "Note", required=False),
        ),
        primary_key=("claim_id",),
        sources=(Source("Seed texts of the report", "../shared/seeds/"),),
        licence="quoted for review",
        vintage="seeds as supplied",
        raw="hand transcription (checked against the seed texts by make data)",
    ),
)

BY_NAME = {r.name: r for r in RESOURCES}


def resource(name: str) -> Resource:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown table {name!r}; tables are: {', '.join(BY_NAME)}") from None
