"""What ``make data`` adds to the raw extracts: economy groups and display names, the names TOP500 and
Epoch use for them, and the name, unit, bounds, source commit and note of every WDI indicator and
openness measure. Kept apart from the builders in :mod:`helpers.data.curate`, which apply them."""

from __future__ import annotations

RCEP = ("AUS", "BRN", "CHN", "IDN", "JPN", "KHM", "KOR", "LAO", "MMR", "MYS", "NZL", "PHL", "SGP", "THA", "VNM")
COMPARATORS = ("USA", "IND", "GBR", "DEU")
ASEAN = ("BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM")
# World Bank income classification FY2025 (thresholds of 1 July 2024), RCEP members and comparators.
INCOME_GROUP_FY2025 = {
    "AUS": "High income", "BRN": "High income", "JPN": "High income", "KOR": "High income",
    "NZL": "High income", "SGP": "High income", "USA": "High income", "GBR": "High income", "DEU": "High income",
    "CHN": "Upper middle income", "IDN": "Upper middle income", "MYS": "Upper middle income",
    "THA": "Upper middle income",
    "KHM": "Lower middle income", "LAO": "Lower middle income", "MMR": "Lower middle income",
    "PHL": "Lower middle income", "VNM": "Lower middle income", "IND": "Lower middle income",
}
DISPLAY_NAMES = {
    "KOR": "Korea", "LAO": "Lao PDR", "VNM": "Viet Nam", "BRN": "Brunei", "USA": "United States",
    "GBR": "United Kingdom", "WLD": "World", "HKG": "Hong Kong SAR", "MAC": "Macao SAR", "TWN": "Taiwan, China",
    "SSF": "Sub-Saharan Africa", "EGY": "Egypt", "IRN": "Iran", "RUS": "Russia", "VEN": "Venezuela",
}
AGGREGATES = {"WLD": "World", "SSF": "Sub-Saharan Africa"}

# Country names used by TOP500 / Epoch for the economies the report follows.
NAME_TO_ISO3 = {
    "Australia": "AUS", "Brunei": "BRN", "China": "CHN", "Indonesia": "IDN", "Japan": "JPN", "Cambodia": "KHM",
    "Korea, South": "KOR", "South Korea": "KOR", "Korea (Republic of)": "KOR", "Laos": "LAO", "Myanmar": "MMR",
    "Malaysia": "MYS", "New Zealand": "NZL", "Philippines": "PHL", "Singapore": "SGP", "Thailand": "THA",
    "Vietnam": "VNM", "Viet Nam": "VNM", "United States": "USA", "United States of America": "USA",
    "India": "IND", "United Kingdom": "GBR", "United Kingdom of Great Britain and Northern Ireland": "GBR",
    "Germany": "DEU",
}

# name, unit, topic, min, max, source commit, note
WDI_META: dict[str, tuple] = {
    "BM.GSR.CMCP.ZS": ("Computer, communications and other services (% of commercial service imports)",
                       "% of commercial service imports", "trade", -100, 100, "A 01a34e8b",
                       "The source publishes negative values for LAO (2001-2008, 2013, 2014, 2017) and KHM (2010); kept as published."),
    "BM.GSR.INSF.ZS": ("Insurance and financial services (% of commercial service imports)",
                       "% of commercial service imports", "trade", -100, 100, "A 01a34e8b",
                       "The source publishes some negative values (net recording); kept as published."),
    "BM.GSR.NFSV.CD": ("Service imports (BoP, current US$)", "current US$", "trade", 0, None, "A 01a34e8b", ""),
    "BM.GSR.TRAN.ZS": ("Transport services (% of commercial service imports)", "% of commercial service imports",
                       "trade", 0, 100, "A 01a34e8b", ""),
    "BM.GSR.TRVL.ZS": ("Travel services (% of commercial service imports)", "% of commercial service imports",
                       "trade", 0, 100, "A 01a34e8b", ""),
    "BX.GSR.CCIS.CD": ("ICT service exports (BoP, current US$)", "current US$", "trade", 0, None, "A 01a34e8b",
                       "VNM missing; BRN gap 2010-14; MMR gap 2003-11."),
    "BX.GSR.CCIS.ZS": ("ICT service exports (% of service exports, BoP)", "% of service exports", "trade", 0, 100,
                       "A 01a34e8b", "VNM missing."),
    "BX.GSR.CMCP.ZS": ("Computer, communications and other services (% of commercial service exports)",
                       "% of commercial service exports", "trade", 0, 100, "A 01a34e8b",
                       "VNM missing; IDN BPM5-to-BPM6 break around 2004."),
    "BX.GSR.INSF.ZS": ("Insurance and financial services (% of commercial service exports)",
                       "% of commercial service exports", "trade", 0, 100, "A 01a34e8b", "VNM missing."),
    "BX.GSR.MRCH.CD": ("Goods exports (BoP, current US$)", "current US$", "trade", 0, None, "A 01a34e8b", ""),
    "BX.GSR.NFSV.CD": ("Service exports (BoP, current US$)", "current US$", "trade", 0, None, "A 01a34e8b",
                       "LAO ends 2023, MMR 2019."),
    "BX.GSR.ROYL.CD": ("Charges for the use of intellectual property, receipts (BoP, current US$)", "current US$",
                       "trade", 0, None, "A 01a34e8b", "BRN, LAO, VNM missing."),
    "BX.GSR.TRAN.ZS": ("Transport services (% of commercial service exports)", "% of commercial service exports",
                       "trade", 0, 100, "A 01a34e8b", "VNM missing."),
    "BX.GSR.TRVL.ZS": ("Travel services (% of commercial service exports)", "% of commercial service exports",
                       "trade", 0, 100, "A 01a34e8b", "VNM missing."),
    "BX.KLT.DINV.WD.GD.ZS": ("Foreign direct investment, net inflows (% of GDP)", "% of GDP", "economy", None, None,
                             "B c63631ab", "Can be negative (disinvestment)."),
    "GB.XPD.RSDV.GD.ZS": ("Research and development expenditure (% of GDP)", "% of GDP", "innovation", 0, 100,
                          "A 3be2f255", "Old vintage: ends 2018, sparse."),
    "GE.EST": ("Government Effectiveness: Estimate (WGI)", "index (about -2.5 to 2.5)", "governance", -3, 3,
               "A 0b3bf626", "Ends 2022. No World value."),
    "RL.EST": ("Rule of Law: Estimate (WGI)", "index (about -2.5 to 2.5)", "governance", -3, 3, "A b0dfa6dd",
               "No World value."),
    "RQ.EST": ("Regulatory Quality: Estimate (WGI)", "index (about -2.5 to 2.5)", "governance", -3, 3, "A 3b00f3dc",
               "No World value; WGI has no 2001."),
    "IT.CEL.SETS.P2": ("Mobile cellular subscriptions (per 100 people)", "per 100 people", "digital", 0, None,
                       "B c63631ab", ""),
    "IT.NET.BBND.P2": ("Fixed broadband subscriptions (per 100 people)", "per 100 people", "digital", 0, 100,
                       "B c63631ab", "World value from an old vintage (2001-2020)."),
    "IT.NET.SECR.P6": ("Secure Internet servers (per 1 million people)", "per million people", "digital", 0, None,
                       "A 01a34e8b", "Series starts 2010; no World value."),
    "IT.NET.USER.ZS": ("Individuals using the Internet (% of population)", "% of population", "digital", 0, 100,
                       "B c63631ab", "2024 only for 7 RCEP members."),
    "NE.EXP.GNFS.ZS": ("Exports of goods and services (% of GDP)", "% of GDP", "economy", 0, None, "B c63631ab", ""),
    "NE.IMP.GNFS.ZS": ("Imports of goods and services (% of GDP)", "% of GDP", "economy", 0, None, "B c63631ab", ""),
    "NE.TRD.GNFS.ZS": ("Trade (% of GDP)", "% of GDP", "economy", 0, None, "A 01a34e8b",
                       "MMR missing; LAO ends 2016."),
    "NV.SRV.TOTL.ZS": ("Services, value added (% of GDP)", "% of GDP", "economy", 0, 100, "B c63631ab", ""),
    "NY.GDP.MKTP.CD": ("GDP (current US$)", "current US$", "economy", 0, None, "C1 822019c8",
                       "World Bank API as of Oct 2024 (to 2023); do not mix with NY.GDP.PCAP.CD in ratios."),
    "NY.GDP.PCAP.CD": ("GDP per capita (current US$)", "current US$", "economy", 0, None, "A 01a34e8b",
                       "Newer vintage than NY.GDP.MKTP.CD."),
    "SP.POP.TOTL": ("Population, total", "people", "economy", 0, None, "C2 425fc447", ""),
    "TG.VAL.TOTL.GD.ZS": ("Merchandise trade (% of GDP)", "% of GDP", "economy", 0, None, "B c63631ab", ""),
    "TX.VAL.TECH.MF.ZS": ("High-technology exports (% of manufactured exports)", "% of manufactured exports",
                          "innovation", 0, 100, "B c63631ab", "Current WDI series starts 2007."),
}

KOF_NAMES = {
    "KOFGI": "KOF Globalisation Index, overall", "KOFEcGI": "KOF Economic Globalisation",
    "KOFTrGI": "KOF Trade Globalisation", "KOFFiGI": "KOF Financial Globalisation",
    "KOFInGI": "KOF Informational Globalisation",
}
KOF_DESCRIPTIONS = {
    "KOFGI": "Overall globalisation (economic, social, political).",
    "KOFEcGI": "Economic globalisation: trade and financial flows and the policies that govern them.",
    "KOFTrGI": "Trade globalisation: trade in goods and services, trade partner diversity, and (de jure) "
               "trade regulations, taxes, tariffs and trade agreements.",
    "KOFFiGI": "Financial globalisation: FDI, portfolio investment, and (de jure) capital-account openness "
               "and investment restrictions.",
    "KOFInGI": "Informational globalisation: internet bandwidth, patents, high-tech exports; (de jure) TV and "
               "internet access, press freedom.",
}
KOF_SUFFIX = {"": "", "df": " (de facto)", "dj": " (de jure)"}
KOF_SUFFIX_NOTE = {
    "": "Average of de facto and de jure.",
    "df": "De facto: measured flows and activities.",
    "dj": "De jure: policies and conditions that enable flows (closest KOF concept to institutional openness).",
}
OPENNESS_VINTAGE = {"KOF": "KOF 2025 release (data to 2023)", "Chinn-Ito": "kaopen_2022 (data to 2022)",
                    "Fraser": "EFW 2019 report (data to 2017)", "Heritage": "editions 1995-2019 (file of Feb 2020)"}
FRASER_KEEP = {
    "Economic Freedom Summary Index": ("fraser_summary", "Fraser EFW, summary index", 0, 10,
                                       "Economic freedom overall: size of government, legal system, sound money, "
                                       "freedom to trade, regulation."),
    "Freedom to Trade Internationally": ("fraser_trade", "Fraser EFW Area 4, freedom to trade internationally", 0, 10,
                                         "Tariffs, regulatory trade barriers, black-market exchange rates, controls "
                                         "on the movement of capital and people."),
}
HERITAGE_KEEP = {
    "Overall Score": ("heritage_overall", "Heritage Index of Economic Freedom, overall"),
    "Trade Freedom": ("heritage_trade", "Heritage Trade Freedom"),
    "Investment Freedom": ("heritage_investment", "Heritage Investment Freedom"),
    "Financial Freedom": ("heritage_financial", "Heritage Financial Freedom"),
}
HERITAGE_DESC = {
    "heritage_overall": "Overall economic freedom score (12 components).",
    "heritage_trade": "Tariff rates and non-tariff barriers.",
    "heritage_investment": "Restrictions on domestic and foreign investment.",
    "heritage_financial": "Banking efficiency and independence from government control.",
}
OPENNESS_FROM_YEAR = 2000
FOCUS = RCEP + COMPARATORS
