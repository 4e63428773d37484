"""The table builders of ``make data``: one function per curated table, from the raw extracts to strings."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from helpers.data.curate_meta import (
    AGGREGATES,
    ASEAN,
    COMPARATORS,
    DISPLAY_NAMES,
    FOCUS,
    FRASER_KEEP,
    HERITAGE_DESC,
    HERITAGE_KEEP,
    INCOME_GROUP_FY2025,
    KOF_DESCRIPTIONS,
    KOF_NAMES,
    KOF_SUFFIX,
    KOF_SUFFIX_NOTE,
    NAME_TO_ISO3,
    OPENNESS_FROM_YEAR,
    OPENNESS_VINTAGE,
    RCEP,
    WDI_META,
)
from helpers.data.curate_prices import build_prices

# --------------------------------------------------------------------------- raw readers


def _raw(rel: str, raw_dir: Path) -> pd.DataFrame:
    path = raw_dir / rel
    if not path.exists():
        raise FileNotFoundError(f"raw extract {path} not found (set REPORT_RAW_DIR or pass --raw)")
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def build_countries(raw_dir: Path) -> pd.DataFrame:
    un = _raw("digital_services/unctad_digitally_deliverable_services_trade.csv", raw_dir)
    names = un[["iso3", "area_name"]].drop_duplicates().set_index("iso3")["area_name"]
    rows = []
    for iso3, name in sorted(names.items()):
        if iso3 in AGGREGATES:
            role = "world" if iso3 == "WLD" else "aggregate"
        elif iso3 in RCEP:
            role = "rcep"
        elif iso3 in COMPARATORS:
            role = "comparator"
        else:
            role = "other"
        rows.append(
            {
                "iso3": iso3,
                "name": name,
                "display_name": DISPLAY_NAMES.get(iso3, name),
                "role": role,
                "is_asean": "true" if iso3 in ASEAN else "false",
                "income_group": INCOME_GROUP_FY2025.get(iso3, ""),
            }
        )
    df = pd.DataFrame(rows)
    missing = [c for c in FOCUS + ("WLD",) if c not in set(df["iso3"])]
    if missing:
        raise ValueError(f"UNCTAD area list lacks {missing}")
    return df


def build_wdi(raw_dir: Path) -> pd.DataFrame:
    df = _raw("wdi/wdi_rcep.csv", raw_dir)[["iso3", "year", "indicator", "value"]]
    unknown = sorted(set(df["indicator"]) - set(WDI_META))
    if unknown:
        raise ValueError(
            f"wdi_rcep.csv has indicators without metadata in helpers.data.curate_meta.WDI_META: {unknown}"
        )
    return df.sort_values(["iso3", "year", "indicator"], key=_sort_key).reset_index(drop=True)


def build_wdi_indicators(raw_dir: Path) -> pd.DataFrame:
    rows = []
    for code, (name, unit, topic, lo, hi, commit, note) in sorted(WDI_META.items()):
        tag, sha = commit.split()
        repo = {
            "A": "open-numbers/ddf--open_numbers--world_development_indicators",
            "B": "open-numbers/ddf--gapminder--systema_globalis",
            "C1": "datasets/gdp",
            "C2": "datasets/population",
        }[tag]
        rows.append(
            {
                "indicator": code,
                "name": name,
                "unit": unit,
                "topic": topic,
                "min_value": "" if lo is None else str(lo),
                "max_value": "" if hi is None else str(hi),
                "source_commit": f"{repo}@{sha}",
                "note": note,
            }
        )
    return pd.DataFrame(rows)


def build_unctad(raw_dir: Path) -> pd.DataFrame:
    df = _raw("digital_services/unctad_digitally_deliverable_services_trade.csv", raw_dir)
    bad = df[df["obs_status"] != "A"]
    if len(bad):
        raise ValueError(f"unexpected obs_status in UNCTAD extract: {sorted(set(bad['obs_status']))}")
    df = df.rename(columns={"value_usd_millions": "value_usd_mn"})[["iso3", "year", "flow", "value_usd_mn"]]
    return df.sort_values(["iso3", "year", "flow"], key=_sort_key).reset_index(drop=True)


def build_wto_exports(raw_dir: Path) -> pd.DataFrame:
    df = _raw("digital_services/wto_digitally_delivered_services_exports_total.csv", raw_dir)
    if set(df["flow"]) != {"exports"}:
        raise ValueError("WTO DDS exports file holds other flows than exports")
    df = df[df["iso3"] != ""].rename(columns={"value_usd_millions": "value_usd_mn"})
    df = df[["iso3", "year", "reporter_name_wto", "value_usd_mn"]]
    return df.sort_values(["iso3", "year"], key=_sort_key).reset_index(drop=True)


WTO_CODE_TO_ISO3 = {"CN": "CHN", "KH": "KHM", "VN": "VNM", "TH": "THA", "WL": "WLD"}


def build_wto_2026(raw_dir: Path) -> pd.DataFrame:
    a = _raw("digital_services/wto_dds_2026_china_by_subsector.csv", raw_dir)
    b = _raw("digital_services/wto_dds_2026_totals_selected_reporters.csv", raw_dir)
    both = pd.concat([a, b], ignore_index=True)
    cols = ["reporter_code_wto", "flow", "year", "indicator_code"]
    dup = both[both.duplicated(cols, keep=False)]
    # China's totals appear in both extracts: they must agree to the digit.
    conflicts = dup.groupby(cols)["value_usd_millions"].nunique()
    if (conflicts > 1).any():
        raise ValueError(f"WTO 2026 extracts disagree on {list(conflicts[conflicts > 1].index)[:3]}")
    both = both.drop_duplicates(cols)
    unknown = sorted(set(both["reporter_code_wto"]) - set(WTO_CODE_TO_ISO3))
    if unknown:
        raise ValueError(f"WTO reporter codes without ISO3 mapping: {unknown}")
    out = pd.DataFrame(
        {
            "iso3": both["reporter_code_wto"].map(WTO_CODE_TO_ISO3),
            "flow": both["flow"],
            "year": both["year"],
            "sector_code": both["indicator_code"],
            "sector_name": both["indicator_name"],
            "value_usd_mn": both["value_usd_millions"],
            "breaking_series": both["breaking_series"],
        }
    )
    return out.sort_values(["iso3", "flow", "year", "sector_code"], key=_sort_key).reset_index(drop=True)


def build_wto_headlines(raw_dir: Path) -> pd.DataFrame:
    df = _raw("wto_headlines/wto_headline_figures.csv", raw_dir)
    rows = []
    prev_sentence = prev_title = ""
    for i, r in enumerate(df.to_dict("records"), start=1):
        note = []
        sentence, title = r["quoted_sentence"], r["page_title_or_site"]
        if sentence.startswith("(same sentence as previous row"):
            rest = sentence[len("(same sentence as previous row") :].strip(" ;)")
            note.append("sentence shared with the previous row" + (f"; {rest}" if rest else ""))
            sentence = prev_sentence
        if title == "same":
            title = prev_title
        prev_sentence, prev_title = sentence, title
        growth, qualifier = r["growth_pct"], ""
        if growth.startswith("more than "):
            qualifier, growth = "more than" + (" (cumulative)" if "cumulative" in growth else ""), growth.split()[2]
        values = r["value"].split(";") if r["value"] else [""]
        if len(values) > 1:
            note.append("row lists several shares; split in listed order")
        for item, value in enumerate(values, start=1):
            rows.append(
                {
                    "row_id": str(i),
                    "item": str(item),
                    "report": r["report"],
                    "report_date": r["report_date"],
                    "metric": r["metric"],
                    "reference_year": r["reference_year"],
                    "value": value,
                    "unit": r["unit"].replace(" (in listed order)", ""),
                    "growth_pct": growth,
                    "growth_qualifier": qualifier,
                    "quoted_sentence": sentence,
                    "page_url": r["page_url"],
                    "page_title_or_site": title,
                    "source_type": r["source_type"],
                    "note": "; ".join(note),
                }
            )
    return pd.DataFrame(rows)


def build_openness(raw_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    parts, meta = [], []
    kof = _raw("openness/kof_globalisation_index_2025.csv", raw_dir)
    for base, name in KOF_NAMES.items():
        for suffix, label in KOF_SUFFIX.items():
            code = base + suffix
            m = f"kof_{code}"
            sel = kof[kof["indicator"] == code]
            if sel.empty:
                raise ValueError(f"KOF series {code} not in the raw extract")
            parts.append(pd.DataFrame({"iso3": sel["iso3"], "year": sel["year"], "measure": m, "value": sel["value"]}))
            meta.append((m, "KOF", code, name + label, 0, 100, KOF_DESCRIPTIONS[base] + " " + KOF_SUFFIX_NOTE[suffix]))
    ci = _raw("openness/chinn_ito_kaopen_2022.csv", raw_dir)
    ci = ci[ci["iso3"].isin(FOCUS)]
    for col, name, lo, hi, desc in (
        (
            "kaopen",
            "Chinn-Ito capital-account openness (kaopen)",
            -2.5,
            2.5,
            "De jure capital-account openness from the IMF AREAER restrictions; about -1.9 (closed) to 2.3 (open). "
            "Financial, not digital or services openness. BRN not covered.",
        ),
        ("ka_open", "Chinn-Ito capital-account openness, normalised 0-1", 0, 1, "kaopen rescaled to 0-1."),
    ):
        sel = ci[ci[col] != ""]
        parts.append(
            pd.DataFrame({"iso3": sel["iso3"], "year": sel["year"], "measure": f"chinn_ito_{col}", "value": sel[col]})
        )
        meta.append((f"chinn_ito_{col}", "Chinn-Ito", col, name, lo, hi, desc))
    fr = _raw("openness/fraser_efw_2019report_1970_2017.csv", raw_dir)
    for ind, (m, name, lo, hi, desc) in FRASER_KEEP.items():
        sel = fr[(fr["indicator"] == ind) & (fr["value"] != "")]
        parts.append(pd.DataFrame({"iso3": sel["iso3"], "year": sel["year"], "measure": m, "value": sel["value"]}))
        meta.append((m, "Fraser", ind, name, lo, hi, desc))
    he = _raw("openness/heritage_index_economic_freedom_1995_2019.csv", raw_dir)
    for ind, (m, name) in HERITAGE_KEEP.items():
        sel = he[(he["indicator"] == ind) & (he["value"] != "")]
        parts.append(
            pd.DataFrame({"iso3": sel["iso3"], "year": sel["index_year"], "measure": m, "value": sel["value"]})
        )
        meta.append(
            (
                m,
                "Heritage",
                ind,
                name,
                0,
                100,
                HERITAGE_DESC[m] + " Year = index edition (mostly reflects the previous year).",
            )
        )
    df = pd.concat(parts, ignore_index=True)
    df = df[df["iso3"].isin(FOCUS) & (df["year"].astype(int) >= OPENNESS_FROM_YEAR)]
    df = df.sort_values(["iso3", "year", "measure"], key=_sort_key).reset_index(drop=True)
    meta_df = pd.DataFrame(
        meta, columns=["measure", "source", "source_code", "name", "scale_min", "scale_max", "description"]
    )
    meta_df["vintage"] = meta_df["source"].map(OPENNESS_VINTAGE)
    for c in ("scale_min", "scale_max"):
        meta_df[c] = meta_df[c].map(str)
    return df, meta_df.sort_values("measure").reset_index(drop=True)


def build_top500(raw_dir: Path) -> pd.DataFrame:
    sysdf = _raw("compute/top500_systems_2000_2025.csv", raw_dir)
    sysdf["rmax_f"] = sysdf["rmax"].astype(float)
    sysdf["iso3"] = sysdf["country"].map(NAME_TO_ISO3)
    rows = []
    for lst, g in sysdf.groupby("list", sort=True):
        units = set(g["rmax_rpeak_unit"])
        if len(units) != 1:
            raise ValueError(f"TOP500 list {lst} mixes units {units}")
        unit = units.pop()
        g = g.sort_values("rank", key=lambda s: s.astype(int))
        total = sum(g["rmax_f"])
        list_date = f"{lst[:4]}-{lst[4:]}"
        rows.append((list_date, "WLD", len(g), total, unit, 100.0))
        for iso3, gc in g[g["iso3"].notna()].groupby("iso3", sort=True):
            s = sum(gc["rmax_f"])
            rows.append((list_date, iso3, len(gc), s, unit, 100 * s / total))
    out = pd.DataFrame(rows, columns=["list_date", "iso3", "n_systems", "rmax_sum", "rmax_unit", "rmax_share_pct"])
    _check_top500(out, _raw("compute/top500_country_by_list_COMPUTED.csv", raw_dir))
    out["n_systems"] = out["n_systems"].map(str)
    for c in ("rmax_sum", "rmax_share_pct"):
        out[c] = out[c].map(lambda v: repr(round(v, 6)))
    return out


def _check_top500(ours: pd.DataFrame, computed: pd.DataFrame) -> None:
    """Our counts/sums must match the provenance's COMPUTED file (after merging Korea's two names)."""
    computed = computed.assign(iso3=computed["country"].map(NAME_TO_ISO3)).dropna(subset=["iso3"])
    computed["list_date"] = computed["list"].str[:4] + "-" + computed["list"].str[4:]
    agg = computed.groupby(["list_date", "iso3"]).agg(
        n=("n_systems", lambda s: s.astype(int).sum()), r=("rmax_sum", lambda s: s.astype(float).sum())
    )
    mine = ours[ours["iso3"] != "WLD"].set_index(["list_date", "iso3"])
    joined = mine.join(agg, how="outer")
    bad = joined[(joined["n_systems"] != joined["n"]) | ((joined["rmax_sum"] - joined["r"]).abs() > 1e-6 * joined["r"])]
    if len(bad):
        raise ValueError(f"TOP500 recount disagrees with the COMPUTED file for {list(bad.index)[:5]}")


def build_epoch_clusters(raw_dir: Path) -> pd.DataFrame:
    g = _raw("compute/epoch_gpu_clusters_2025-11.csv", raw_dir)
    out = pd.DataFrame(
        {
            "row_id": [str(i) for i in range(1, len(g) + 1)],
            "name": g["Name"].str.strip(),
            "status": g["Status"],
            "country": g["Country"],
            "iso3": g["Country"].map(NAME_TO_ISO3).fillna(""),
            "h100_equivalents": g["H100 equivalents"],
            "ops_16bit": g["16-bit OP/s"],
            "first_operational_date": g["First Operational Date"],
            "power_mw": g["Power Capacity (MW)"],
            "include_standard_analysis": g["Include in Standard Analysis"].map(
                lambda v: "true" if v == "True" else "false"
            ),
        }
    )
    return out


def build_epoch_models(raw_dir: Path) -> pd.DataFrame:
    m = _raw("compute/epoch_notable_ai_models_2026-01-26.csv", raw_dir)
    rows = []
    for r in m.to_dict("records"):
        countries = [c.strip() for c in r["Country (of organization)"].split(",") if c.strip()] or [""]
        for c in countries:
            rows.append(
                {
                    "model": " ".join(r["Model"].split()),
                    "organization": " ".join(r["Organization"].split()),
                    "publication_date": r["Publication date"],
                    "year": r["Publication date"][:4],
                    "country": c,
                    "iso3": NAME_TO_ISO3.get(c, ""),
                    "n_countries": str(len([x for x in countries if x]) or 1),
                    "frontier_model": "true" if r["Frontier model"] == "True" else "false",
                    "training_compute_flop": r["Training compute (FLOP)"],
                }
            )
    out = pd.DataFrame(rows).drop_duplicates(["model", "publication_date", "country"])
    return out.sort_values(["publication_date", "model", "country"]).reset_index(drop=True)


def build_china_compute(raw_dir: Path) -> pd.DataFrame:
    df = _raw("compute/china_computing_power_reported.csv", raw_dir)
    df.insert(0, "row_id", [str(i) for i in range(1, len(df) + 1)])
    return df


BUILDERS = {
    "countries": build_countries,
    "wdi": build_wdi,
    "wdi_indicators": build_wdi_indicators,
    "unctad_dds": build_unctad,
    "wto_dds_exports": build_wto_exports,
    "wto_dds_2026": build_wto_2026,
    "wto_headlines": build_wto_headlines,
    "top500_country": build_top500,
    "epoch_gpu_clusters": build_epoch_clusters,
    "epoch_ai_models": build_epoch_models,
    "china_computing_power": build_china_compute,
    "prices": build_prices,
}


def _sort_key(col: pd.Series) -> pd.Series:
    return col.astype(int) if col.name == "year" else col
