#!/usr/bin/env python3
"""Build datasets/regions.csv, percap's region registry.

Usage:
    python3 datasets/build/make_registry.py [REFERENCE_DIR] [--out FILE]

REFERENCE_DIR defaults to ../shared/reference relative to the repository
root.  Only the Python standard library is used.  The output is written
deterministically (UTF-8, LF line ends, no byte-order mark).

One row per region: the 83 federal subjects of Russia, Crimea and
Sevastopol (annexed 2014; ISO 3166-2:UA codes UA-43 and UA-40) and the four
Ukrainian regions Russia claimed in 2022 (UA-14, UA-09, UA-23, UA-65).

Sources (see datasets/SOURCES.md for the full citations and licences):
  regions/hflabs_region_codes.csv     hflabs/region, CC BY-SA 4.0: ISO code,
                                      OKATO, OKTMO, KLADR region number,
                                      Russian short names, GeoNames names
  regions/region_names_and_codes.csv  full English/Russian names, federal
                                      district, English spelling variants
  regions/region_names_crosswalk.csv  Bessudnov regNames.csv: short English
  regions/census2021_men_16_61.csv      names used by the BBC/Mediazona list,
  regions/rosstat_population_2020-01-01.csv   territory codes, Russian names
  regions/region_characteristics_2020.csv     (cross-checks of the mapping)
  regions/census2010_ethnicity_men.csv
  regions/tile_grids.csv              tile-grid positions
  regions/annexed_2022.csv            the four regions claimed in 2022
  casualties/bbc_mediazona_list_*.csv (checked only: every region name in
                                      the lists must be a short_en)

Every mapping is cross-checked between at least two files; the script stops
with an error on any disagreement except the known quirks handled
explicitly below (search for "QUIRK").

Because a registry alias must never point at two regions, the script also
applies the same name normalisation as the C loader (lower case including
Cyrillic, ё -> е, drop everything that is not a letter or a digit) and fails
on any collision.
"""

import argparse
import csv
import os
import sys
import tempfile

# --------------------------------------------------------------------------
# Normalisation (must match the C loader)
# --------------------------------------------------------------------------


def norm(s):
    """Lower-case (incl. Cyrillic), ё -> е, keep only letters and digits."""
    s = s.lower().replace("ё", "е")
    return "".join(ch for ch in s if ch.isalnum())


def norm_ascii_cyrillic(s):
    """A stricter variant: letters are only ASCII a-z and Cyrillic а-я.

    The C loader may not treat accented Latin letters (š in "Baškortostan")
    as letters; the collision check is run with both variants so that the
    registry is unambiguous either way."""
    s = s.lower().replace("ё", "е")
    return "".join(ch for ch in s
                   if ("a" <= ch <= "z") or ("0" <= ch <= "9")
                   or ("а" <= ch <= "я"))


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------

class BuildError(Exception):
    pass


def fail(msg):
    raise BuildError(msg)


def check(cond, msg):
    if not cond:
        fail(msg)


def note(msg):
    print("make_registry: " + msg, file=sys.stderr)


def read_csv(path, columns):
    """Read a CSV file into a list of dicts; tolerate a UTF-8 BOM; require
    the given columns."""
    if not os.path.isfile(path):
        fail("missing reference file: %s" % path)
    with open(path, encoding="utf-8-sig", newline="") as f:
        rd = csv.DictReader(f)
        header = rd.fieldnames or []
        for c in columns:
            check(c in header, "%s: missing column %r (have %r)"
                  % (path, c, header))
        rows = [dict(r) for r in rd]
    return rows


def canon_iso(code):
    """Bessudnov's files give the ISO 3166-2 suffix ("ALT", "TY") for
    Russian regions and the full code ("UA-43") for Crimea/Sevastopol."""
    code = code.strip()
    if code.startswith("RU-") or code.startswith("UA-"):
        return code
    check(code.isalpha() and code.isupper(),
          "unexpected region code %r" % code)
    return "RU-" + code


def split_variants(s):
    return [v.strip() for v in s.split(";") if v.strip()]


# --------------------------------------------------------------------------
# Curated data (percap's own)
# --------------------------------------------------------------------------

# The ISO codes of the regions claimed in 2022 and the short English name
# percap uses for each (the Bessudnov files predate the annexation and have
# none; each short name is the leading word of name_en, checked below).
ANNEXED_2022_SHORT = {
    "UA-14": "Donetsk",
    "UA-09": "Luhansk",
    "UA-23": "Zaporizhzhia",
    "UA-65": "Kherson",
}

# Codes Russia uses for the two regions it annexed in 2014 (not ISO).
RUSSIAN_CODES_2014 = {
    "UA-43": ["RU-CR", "CR"],
    "UA-40": ["RU-SEV", "SEV"],
}

# Names that are ambiguous after normalisation and are therefore never
# registered as aliases, even when a source lists them for one region.
#   "Altai"/"Altay"/"Altaj"/"Алтай": Altai Republic (RU-AL) or Altai Krai
#   (RU-ALT).  hflabs gives "Алтай" as the short Russian name and "Altai"
#   as the GeoNames name of RU-AL; region_names_and_codes.csv lists "Altaj".
AMBIGUOUS = {norm(s) for s in ["Altai", "Altay", "Altaj", "Алтай"]}

# Well-known spellings missing from the sources.  Variants that differ from
# an existing name only in case, spacing or punctuation are pointless (the
# matcher ignores them) and are removed automatically.
EXTRA_ALIASES = {
    "RU-AD": ["Republic of Adygeya", "Adygea Republic"],
    "RU-BA": ["Bashkiriya", "Republic of Bashkiria", "Башкирия"],
    "RU-BU": ["Buryat Republic", "Republic of Buryatiya"],
    "RU-AL": ["Republic of Altai", "Republic of Altay", "Gorny Altai",
              "Горный Алтай"],
    "RU-DA": ["Republic of Daghestan", "Dagestan Republic",
              "Daghestan Republic"],
    "RU-IN": ["Republic of Ingushetiya", "Ingush Republic"],
    "RU-KB": ["Kabardino-Balkarian Republic", "Kabardino-Balkarskaya Respublika",
              "Кабардино-Балкария", "Республика Кабардино-Балкария"],
    "RU-KL": ["Republic of Kalmykiya", "Kalmyk Republic"],
    "RU-KC": ["Karachayevo-Cherkessia", "Karachay-Cherkesia",
              "Karachayevo-Circassian Republic", "Karachay-Cherkess",
              "Карачаево-Черкесия"],
    "RU-KR": ["Republic of Kareliya"],
    "RU-KO": ["Republic of Komi"],
    "RU-ME": ["Republic of Mari El", "Марий Эл"],
    "RU-MO": ["Mordovia Republic", "Republic of Mordoviya"],
    "RU-SA": ["Yakutia", "Republic of Sakha", "Republic of Sakha (Yakutia)",
              "Sakha (Yakutia)", "Якутия", "Саха", "Республика Саха",
              "Республика Якутия"],
    "RU-SE": ["North Ossetia–Alania", "Republic of North Ossetia",
              "North Osetia", "Severnaya Osetiya-Alaniya", "Северная Осетия",
              "Республика Северная Осетия", "Алания"],
    "RU-TA": ["Tatarstan Republic"],
    "RU-TY": ["Tyva", "Tuva", "Republic of Tuva", "Tyva Republic", "Тува",
              "Республика Тува"],
    "RU-UD": ["Republic of Udmurtia", "Udmurtian Republic", "Удмуртия",
              "Республика Удмуртия"],
    "RU-KK": ["Khakas Republic", "Republic of Khakasiya"],
    "RU-CE": ["Chechnya", "Chechnia", "Чечня"],
    "RU-CU": ["Chuvashia", "Chuvash Republic – Chuvashia", "Чувашия",
              "Республика Чувашия"],
    "RU-KDA": ["Кубань"],
    "RU-PRI": ["Primorye Territory", "Приморье"],
    "RU-STA": ["Ставрополье"],
    "RU-KEM": ["Kuzbass", "Kemerovo Region – Kuzbass", "Кузбасс"],
    "RU-MOS": ["Moscow Region", "Подмосковье"],
    "RU-NIZ": ["Nizhniy Novgorod", "Nizhni Novgorod"],
    "RU-ORL": ["Orel Region"],
    "RU-ZAB": ["Zabaikalsky Territory", "Zabaikalsky Krai", "Забайкалье"],
    "RU-KAM": ["Kamchatka Oblast", "Камчатская область"],
    # Rosstat's wording for Arkhangelsk and Tyumen oblasts without their
    # autonomous okrugs, i.e. exactly the units RU-ARK and RU-TYU denote
    # here (the okrugs are separate rows).
    "RU-ARK": ["Archangelsk", "Архангельская область без автономного округа",
               "Архангельская область без автономии"],
    "RU-TYU": ["Тюменская область без автономии"],
    "RU-MOW": ["Moscow City", "City of Moscow", "Moskva"],
    "RU-SPE": ["St Petersburg", "Saint Petersburg", "Sankt-Peterburg",
               "Petersburg", "Петербург", "СПб"],
    "RU-YEV": ["Yevreyskaya", "Jewish Autonomous Oblast", "Jewish AO",
               "Jewish Autonomous Region", "Yevreyskaya AO", "Evreyskaya",
               "Еврейская АО", "ЕАО"],
    "RU-NEN": ["Ненецкий авт. округ"],
    "RU-KHM": ["Khanty-Mansi", "Khanty-Mansiysk", "Yugra", "Ugra",
               "Khanty-Mansi Autonomous Area – Yugra",
               "Khanty-Mansiysk Autonomous Okrug",
               "Khanty-Mansiysk Autonomous Okrug – Yugra",
               "ХМАО", "ХМАО — Югра", "Югра",
               "Ханты-Мансийский автономный округ",
               "Ханты-Мансийский АО", "Ханты-Мансийский АО — Югра",
               "Ханты-Мансийский авт. округ — Югра"],
    "RU-CHU": ["Chukotsky Autonomous Okrug", "Чукотка",
               "Чукотский авт. округ"],
    "RU-YAN": ["Yamal-Nenets", "Ямал", "ЯНАО", "Ямало-Ненецкий авт. округ"],
    "UA-43": ["Autonomous Republic of Crimea", "Avtonomna Respublika Krym",
              "Автономная Республика Крым", "Автономна Республіка Крим",
              "Крим"],
    "UA-40": ["City of Sevastopol", "Sevastopil", "Севастопіль"],
    "UA-14": ["Donetsk Oblast", "Donetsk Region", "Donetsk People's Republic",
              "Donetska oblast", "DPR", "DNR", "ДНР", "Донецкая область",
              "Донецька область"],
    "UA-09": ["Luhansk Oblast", "Luhansk Region", "Luhansk People's Republic",
              "Luhanska oblast", "Lugansk", "Lugansk Oblast",
              "Lugansk People's Republic", "LPR", "LNR", "ЛНР",
              "Луганская область", "Луганська область"],
    "UA-23": ["Zaporizhzhia Oblast", "Zaporizhzhia Region", "Zaporizhia",
              "Zaporizhia Oblast", "Zaporizka oblast", "Zaporozhye",
              "Zaporozhye Oblast", "Zaporozhye Region",
              "Zaporozhskaya oblast", "Запорізька область"],
    "UA-65": ["Kherson Region", "Khersonska oblast", "Khersonskaya oblast",
              "Херсонська область"],
}

# Collisions between keys that the C loader adds by itself (not aliases):
# it registers the code without "RU-"/"UA-", which for the six Ukrainian
# codes is a number equal to some Russian region_number (UA-43 -> "43" =
# Kirov, UA-40 -> "40" = Kaluga, UA-14 -> "14" = Sakha, UA-09 -> "09" =
# Karachay-Cherkessia, UA-23 -> "23" = Krasnodar, UA-65 -> "65" = Sakhalin).
# They cannot be fixed in this file; they are reported as warnings and must
# be handled by the loader (e.g. register only alphabetic code suffixes).
# Any other collision is an error.
KNOWN_LOADER_COLLISIONS = {"43", "40", "14", "09", "23", "65"}

GROUP_ORDER = {"federal_subject": 0, "annexed_2014": 1, "annexed_2022": 2}

OUT_COLUMNS = ["iso_code", "name_en", "name_ru", "short_en",
               "federal_district", "group", "okato", "oktmo",
               "region_number", "tile_row", "tile_col", "aliases"]


# --------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------

def load_names_and_codes(ref):
    path = os.path.join(ref, "regions", "region_names_and_codes.csv")
    rows = read_csv(path, ["iso_code", "name_en", "name_ru",
                           "federal_district", "federal_district_ru",
                           "name_en_short_bessudnov", "name_ru_short_hflabs",
                           "region_type_hflabs", "name_en_variants", "okato",
                           "oktmo", "region_number"])
    nc = {}
    for r in rows:
        iso = r["iso_code"].strip()
        check(iso not in nc, "%s: duplicate iso_code %s" % (path, iso))
        nc[iso] = r
    check(len(nc) == 85, "%s: expected 85 regions, found %d"
          % (path, len(nc)))
    # QUIRK 1: region_names_and_codes.csv has the short (Bessudnov) English
    # names of Crimea and Sevastopol swapped: the UA-43 row (Republic of
    # Crimea) says "Sevastopol" and the UA-40 row says "Crimea".  The
    # correct mapping (UA-43 = Crimea, UA-40 = Sevastopol) is what hflabs,
    # the census 2021 file, the population file and the characteristics
    # file all say; it is checked against them below.  We accept either the
    # known swapped state or the corrected one, nothing else.
    a = nc["UA-43"]["name_en_short_bessudnov"]
    b = nc["UA-40"]["name_en_short_bessudnov"]
    if (a, b) == ("Sevastopol", "Crimea"):
        nc["UA-43"]["name_en_short_bessudnov"] = "Crimea"
        nc["UA-40"]["name_en_short_bessudnov"] = "Sevastopol"
        note("QUIRK 1 handled: region_names_and_codes.csv short names of "
             "UA-43/UA-40 swapped; corrected")
    else:
        check((a, b) == ("Crimea", "Sevastopol"),
              "%s: unexpected short names for UA-43/UA-40: %r/%r"
              % (path, a, b))
    return nc


def load_hflabs(ref, nc):
    path = os.path.join(ref, "regions", "hflabs_region_codes.csv")
    rows = read_csv(path, ["name", "type", "name_with_type",
                           "federal_district", "kladr_id", "okato", "oktmo",
                           "iso_code", "geoname_name"])
    hf = {}
    for r in rows:
        iso = r["iso_code"].strip()
        # QUIRK 2: hflabs lists Baikonur (KZ-BAY), a Kazakh town leased by
        # Russia and not a federal subject; it is left out.
        if iso == "KZ-BAY":
            continue
        check(iso.startswith("RU-") or iso in ("UA-43", "UA-40"),
              "%s: unexpected iso_code %s" % (path, iso))
        check(iso not in hf, "%s: duplicate iso_code %s" % (path, iso))
        hf[iso] = r
    check(set(hf) == set(nc),
          "hflabs and region_names_and_codes disagree on the region set: "
          "%r" % sorted(set(hf) ^ set(nc)))
    for iso, h in hf.items():
        n = nc[iso]
        for hk, nk in [("okato", "okato"), ("oktmo", "oktmo"),
                       ("name", "name_ru_short_hflabs"),
                       ("type", "region_type_hflabs"),
                       ("federal_district", "federal_district_ru")]:
            check(h[hk] == n[nk], "%s: hflabs %s=%r but "
                  "region_names_and_codes %s=%r" % (iso, hk, h[hk], nk, n[nk]))
        check(h["kladr_id"][:2] == n["region_number"],
              "%s: KLADR %s does not start with region_number %s"
              % (iso, h["kladr_id"], n["region_number"]))
        # The short Russian name must occur in the full Russian name.
        check(norm(h["name"]) in norm(n["name_ru"]),
              "%s: hflabs name %r not part of name_ru %r"
              % (iso, h["name"], n["name_ru"]))
        check(len(h["okato"]) == 11 and h["okato"].isdigit()
              and len(h["oktmo"]) == 8 and h["oktmo"].isdigit(),
              "%s: malformed OKATO/OKTMO" % iso)
    # Federal district names: the English/Russian pairs must be consistent.
    fd = {}
    for iso, n in nc.items():
        fd.setdefault(n["federal_district_ru"], set()).add(
            n["federal_district"])
    for ru, en in fd.items():
        check(len(en) == 1, "federal district %s has several English "
              "names: %r" % (ru, en))
    check(len(fd) == 8, "expected 8 federal districts, found %d" % len(fd))
    return hf


def load_bessudnov(ref, nc, hf):
    """Cross-check the short English names and the Russian names in
    Bessudnov's files; return {iso: (regterson, [russian names])}."""
    d = os.path.join(ref, "regions")
    xw = read_csv(os.path.join(d, "region_names_crosswalk.csv"),
                  ["g_00_4_regterson", "regName", "regNameEng", "regNameISO"])
    # QUIRK 3: region_names_crosswalk.csv has the ISO codes of Crimea and
    # Sevastopol swapped (the row "Республика Крым, Crimea" carries UA-40
    # and the row "Севастополь, Sevastopol" carries UA-43); both names on
    # each row agree with hflabs, census 2021, the population file and the
    # characteristics file, so the code is the error.  Only this exact,
    # consistent swap is corrected.
    # QUIRK 4: the same two rows have no territory code; the field holds
    # two TAB characters.  It is stripped to empty.
    ua = {r["regNameEng"]: r["regNameISO"] for r in xw
          if r["regNameISO"].startswith("UA-")}
    if ua == {"Crimea": "UA-40", "Sevastopol": "UA-43"}:
        for r in xw:
            if r["regNameEng"] == "Crimea":
                r["regNameISO"] = "UA-43"
            elif r["regNameEng"] == "Sevastopol":
                r["regNameISO"] = "UA-40"
        note("QUIRK 3 handled: region_names_crosswalk.csv ISO codes of "
             "Crimea/Sevastopol swapped; corrected")
    else:
        check(ua == {"Crimea": "UA-43", "Sevastopol": "UA-40"},
              "region_names_crosswalk.csv: unexpected Crimea/Sevastopol "
              "codes %r" % ua)
    for r in xw:
        raw = r["g_00_4_regterson"]
        r["g_00_4_regterson"] = raw.strip()
        if raw != raw.strip() or not raw.strip():
            check(r["regNameISO"].startswith("UA-") and not raw.strip(),
                  "region_names_crosswalk.csv: odd territory code %r for %s"
                  % (raw, r["regNameEng"]))

    c21 = read_csv(os.path.join(d, "census2021_men_16_61.csv"),
                   ["region", "regNameEng", "regNameISO"])
    pop = read_csv(os.path.join(d, "rosstat_population_2020-01-01.csv"),
                   ["region_en", "region_iso", "region_ru_bessudnov",
                    "region_ru_rosstat"])
    ch = read_csv(os.path.join(d, "region_characteristics_2020.csv"),
                  ["regNameEng", "regNameISO"])
    e10 = read_csv(os.path.join(d, "census2010_ethnicity_men.csv"),
                   ["regName", "regNameEng", "regNameISO"])

    files = [
        ("region_names_crosswalk.csv", xw, "regNameEng", "regNameISO",
         "regName", 85),
        ("census2021_men_16_61.csv", c21, "regNameEng", "regNameISO",
         "region", 85),
        ("rosstat_population_2020-01-01.csv", pop, "region_en", "region_iso",
         "region_ru_bessudnov", 85),
        ("region_characteristics_2020.csv", ch, "regNameEng", "regNameISO",
         None, 85),
        # The 2010 census has no Crimea and no Sevastopol.
        ("census2010_ethnicity_men.csv", e10, "regNameEng", "regNameISO",
         "regName", 83),
    ]
    ru_names = {iso: [] for iso in nc}
    for fname, rows, ek, ik, rk, expect in files:
        seen_iso, seen_en = {}, {}
        for r in rows:
            iso = canon_iso(r[ik])
            en = r[ek].strip()
            check(iso in nc, "%s: unknown region code %r" % (fname, r[ik]))
            check(iso not in seen_iso, "%s: duplicate code %s"
                  % (fname, iso))
            check(en not in seen_en, "%s: duplicate name %s" % (fname, en))
            seen_iso[iso] = en
            seen_en[en] = iso
            want = nc[iso]["name_en_short_bessudnov"]
            check(en == want, "%s: %s is %r, region_names_and_codes says "
                  "%r" % (fname, iso, en, want))
            if rk:
                ru = r[rk].strip()
                # The leading letters of hflabs' short Russian name must
                # occur in the file's Russian name (catches a code attached
                # to the wrong region).
                stem = norm(hf[iso]["name"])[:6]
                check(stem in norm(ru), "%s: %s Russian name %r does not "
                      "match hflabs %r" % (fname, iso, ru, hf[iso]["name"]))
                ru_names[iso].append(ru)
        check(len(seen_iso) == expect, "%s: expected %d regions, found %d"
              % (fname, expect, len(seen_iso)))
    # Bessudnov's Russian names must agree between his files.
    for iso, names in ru_names.items():
        check(len({norm(x) for x in names}) == 1,
              "%s: Bessudnov Russian names disagree: %r" % (iso, names))
    # The population file's own Rosstat names (may differ in wording).
    for r in pop:
        iso = canon_iso(r["region_iso"])
        ru = r["region_ru_rosstat"].strip()
        check(norm(hf[iso]["name"])[:6] in norm(ru),
              "rosstat_population: %s Rosstat name %r does not match "
              "hflabs %r" % (iso, ru, hf[iso]["name"]))
        ru_names[iso].append(ru)
    # Territory codes: OKTMO without the leading zero, or its first five
    # digits (Arkhangelsk/Tyumen and their autonomous okrugs).
    regterson = {}
    for r in xw:
        iso = canon_iso(r["regNameISO"])
        t = r["g_00_4_regterson"]
        regterson[iso] = t
        if not t:
            continue
        oktmo = nc[iso]["oktmo"]
        check(t.isdigit() and (int(t) == int(oktmo)
                               or int(t) * 1000 == int(oktmo)),
              "crosswalk: territory code %s of %s does not match OKTMO %s"
              % (t, iso, oktmo))
    return regterson, ru_names


def check_casualty_lists(ref, short_names):
    for fname in ["bbc_mediazona_list_2022-12-09.csv",
                  "bbc_mediazona_list_2023-04-12.csv"]:
        path = os.path.join(ref, "casualties", fname)
        rows = read_csv(path, ["region"])
        names = {r["region"].strip() for r in rows} - {""}
        unknown = sorted(names - short_names)
        check(not unknown, "%s: region names not in the registry: %r"
              % (fname, unknown))
        note("%s: all %d region names are short_en values"
             % (fname, len(names)))


def load_annexed(ref, nc):
    path = os.path.join(ref, "regions", "annexed_2022.csv")
    rows = read_csv(path, ["name_en", "name_ru", "iso_3166_2_ukraine",
                           "okato_rosstat_2digit", "ru_region_number",
                           "tile_row_unknownrepo", "tile_col_unknownrepo"])
    out = {}
    numbers = {n["region_number"] for n in nc.values()}
    prefixes = {n["okato"][:2] for n in nc.values()}
    for r in rows:
        iso = r["iso_3166_2_ukraine"].strip()
        check(iso in ANNEXED_2022_SHORT, "%s: unexpected code %s"
              % (path, iso))
        check(iso not in out, "%s: duplicate %s" % (path, iso))
        short = ANNEXED_2022_SHORT[iso]
        check(r["name_en"].startswith(short + " "),
              "%s: name %r does not start with %r" % (iso, r["name_en"],
                                                       short))
        num = r["ru_region_number"].strip()
        okp = r["okato_rosstat_2digit"].strip()
        check(len(num) == 2 and num.isdigit() and num not in numbers,
              "%s: region number %r invalid or already used" % (iso, num))
        check(len(okp) == 2 and okp.isdigit() and okp not in prefixes,
              "%s: OKATO prefix %r invalid or already used" % (iso, okp))
        out[iso] = r
    check(set(out) == set(ANNEXED_2022_SHORT),
          "%s: expected %r" % (path, sorted(ANNEXED_2022_SHORT)))
    return out


def load_tiles(ref, nc, annexed):
    path = os.path.join(ref, "regions", "tile_grids.csv")
    rows = read_csv(path, ["iso_code", "name_en", "bessudnov_row",
                           "bessudnov_col", "unknownrepo_row",
                           "unknownrepo_col"])
    tiles, occupied = {}, {}
    by_name_ru = {a["name_ru"].strip(): iso for iso, a in annexed.items()}
    extra = {}
    for r in rows:
        iso = r["iso_code"].strip()
        if not iso:
            # The 2022 regions appear only in the third layout, keyed by
            # their Russian name in the name_en column.
            key = r["name_en"].strip()
            check(key in by_name_ru, "%s: unknown row %r" % (path, key))
            extra[by_name_ru[key]] = (r["unknownrepo_row"].strip(),
                                      r["unknownrepo_col"].strip())
            continue
        check(iso in nc and iso not in tiles, "%s: bad/duplicate %s"
              % (path, iso))
        check(r["name_en"] == nc[iso]["name_en"], "%s: %s name %r vs %r"
              % (path, iso, r["name_en"], nc[iso]["name_en"]))
        pos = (r["bessudnov_row"].strip(), r["bessudnov_col"].strip())
        check(all(p.isdigit() for p in pos), "%s: %s bad position %r"
              % (path, iso, pos))
        check(pos not in occupied, "%s: %s and %s share tile %r"
              % (path, iso, occupied.get(pos), pos))
        occupied[pos] = iso
        tiles[iso] = pos
    check(set(tiles) == set(nc), "%s: Bessudnov layout does not cover the "
          "85 regions" % path)
    check(set(extra) == set(annexed), "%s: 2022 regions missing" % path)
    # Place the 2022 regions at their third-layout positions if these are
    # free in the Bessudnov layout (cross-checked with annexed_2022.csv).
    for iso, pos in sorted(extra.items()):
        a = annexed[iso]
        check(pos == (a["tile_row_unknownrepo"].strip(),
                      a["tile_col_unknownrepo"].strip()),
              "%s: tile position differs between tile_grids.csv and "
              "annexed_2022.csv" % iso)
        if all(p.isdigit() for p in pos) and pos not in occupied:
            occupied[pos] = iso
            tiles[iso] = pos
        else:
            note("WARNING: no free tile for %s at %r; left empty"
                 % (iso, pos))
            tiles[iso] = ("", "")
    return tiles


def systematic_aliases(n):
    """English forms used by Rosstat and others: "X Region" for an oblast,
    "X Territory"/"X Kray" for a krai, "X AO"/"X Autonomous Area"/"X
    Autonomous District" for an autonomous okrug."""
    en, typ = n["name_en"], n["region_type_hflabs"]
    out = []
    if typ == "обл" and en.endswith(" Oblast"):
        out.append(en[:-len(" Oblast")] + " Region")
    elif typ == "край" and en.endswith(" Krai"):
        stem = en[:-len(" Krai")]
        out += [stem + " Territory", stem + " Kray"]
    elif typ == "АО":
        stem = en.split(" Autonomous Okrug")[0]
        check(stem != en, "%s: unexpected AO name" % en)
        out += [stem + " AO", stem + " Autonomous Area",
                stem + " Autonomous District"]
    return out


def auto_keys(row):
    """The keys the C loader registers itself for a region."""
    iso = row["iso_code"]
    keys = [iso, iso.split("-", 1)[1], row["name_en"], row["name_ru"],
            row["short_en"], row["okato"], row["oktmo"],
            row["region_number"]]
    return [k for k in keys if k]


def finish_aliases(row, candidates, dropped):
    """Drop ambiguous entries and entries the loader already has."""
    seen = {norm(k) for k in auto_keys(row)}
    out = []
    for a in candidates:
        a = a.strip()
        if not a:
            continue
        check(";" not in a and "\n" not in a and "\r" not in a,
              "%s: alias %r contains a separator" % (row["iso_code"], a))
        k = norm(a)
        check(k, "%s: alias %r normalises to nothing" % (row["iso_code"], a))
        if k in AMBIGUOUS:
            dropped.append((row["iso_code"], a))
            continue
        if k in seen:
            continue
        seen.add(k)
        out.append(a)
    return out


def check_collisions(rows, fn, label):
    owners = {}
    for r in rows:
        for k in auto_keys(r):
            owners.setdefault(fn(k), []).append((r["iso_code"], "auto", k))
        for a in (r["aliases"].split("; ") if r["aliases"] else []):
            owners.setdefault(fn(a), []).append((r["iso_code"], "alias", a))
    warnings, errors = [], []
    for k, lst in sorted(owners.items()):
        if not k:
            errors.append("empty key from %r" % lst)
            continue
        isos = {iso for iso, _, _ in lst}
        if len(isos) < 2:
            continue
        if k in KNOWN_LOADER_COLLISIONS and all(t == "auto"
                                                for _, t, _ in lst):
            warnings.append("%r: %s" % (k, ", ".join(
                "%s(%s)" % (iso, s) for iso, _, s in lst)))
        else:
            errors.append("%r: %s" % (k, ", ".join(
                "%s %s %r" % (iso, t, s) for iso, t, s in lst)))
    if errors:
        fail("ambiguous keys after normalisation (%s):\n  " % label
             + "\n  ".join(errors))
    return warnings


def build(ref):
    nc = load_names_and_codes(ref)
    hf = load_hflabs(ref, nc)
    regterson, ru_names = load_bessudnov(ref, nc, hf)
    short_names = {n["name_en_short_bessudnov"] for n in nc.values()}
    check(len(short_names) == 85, "short_en values are not unique")
    check_casualty_lists(ref, short_names)
    annexed = load_annexed(ref, nc)
    tiles = load_tiles(ref, nc, annexed)
    check(set(EXTRA_ALIASES) <= set(nc) | set(annexed),
          "EXTRA_ALIASES has unknown codes")

    rows, dropped = [], []
    for iso, n in nc.items():
        h = hf[iso]
        group = ("annexed_2014" if iso in ("UA-43", "UA-40")
                 else "federal_subject")
        row = {
            "iso_code": iso,
            "name_en": n["name_en"],
            "name_ru": n["name_ru"],
            "short_en": n["name_en_short_bessudnov"],
            "federal_district": n["federal_district"],
            "group": group,
            "okato": h["okato"],
            "oktmo": h["oktmo"],
            "region_number": n["region_number"],
            "tile_row": tiles[iso][0],
            "tile_col": tiles[iso][1],
        }
        cands = split_variants(n["name_en_variants"])
        cands += [h["name"], h["name_with_type"], h["geoname_name"]]
        # hflabs files Chuvashia's common name "Чувашия" under "type".
        if h["type"] not in ("Респ", "край", "обл", "Аобл", "АО", "г"):
            cands.append(h["type"])
        if regterson.get(iso):
            cands.append(regterson[iso])
        cands += ru_names[iso]
        cands += systematic_aliases(n)
        cands += EXTRA_ALIASES.get(iso, [])
        cands += RUSSIAN_CODES_2014.get(iso, [])
        row["aliases"] = "; ".join(finish_aliases(row, cands, dropped))
        rows.append(row)

    for iso, a in annexed.items():
        okp = a["okato_rosstat_2digit"].strip()
        row = {
            "iso_code": iso,
            "name_en": a["name_en"].strip(),
            "name_ru": a["name_ru"].strip(),
            "short_en": ANNEXED_2022_SHORT[iso],
            # Not given by any source used here: left empty.
            "federal_district": "",
            "group": "annexed_2022",
            # Region-level OKATO codes are the two-digit region prefix
            # followed by nine zeros (true of every non-nested region above,
            # checked below); the source gives only the prefix.
            "okato": okp + "000000000",
            "oktmo": "",
            "region_number": a["ru_region_number"].strip(),
            "tile_row": tiles[iso][0],
            "tile_col": tiles[iso][1],
        }
        row["aliases"] = "; ".join(finish_aliases(
            row, EXTRA_ALIASES.get(iso, []), dropped))
        rows.append(row)

    # The OKATO convention used for the 2022 regions.
    for iso, n in nc.items():
        if n["region_type_hflabs"] != "АО":
            check(n["okato"][2:] == "0" * 9,
                  "%s: OKATO %s is not <prefix>000000000" % (iso, n["okato"]))

    rows.sort(key=lambda r: (GROUP_ORDER[r["group"]], int(r["region_number"])))
    check(len(rows) == 89, "expected 89 rows, have %d" % len(rows))
    check(len({r["iso_code"] for r in rows}) == 89, "duplicate iso_code")
    check(len({norm(r["short_en"]) for r in rows}) == 89,
          "duplicate short_en")
    check(len({r["region_number"] for r in rows}) == 89,
          "duplicate region_number")
    pos = [(r["tile_row"], r["tile_col"]) for r in rows if r["tile_row"]]
    check(len(pos) == len(set(pos)), "two regions on one tile")

    warnings = check_collisions(rows, norm, "letters and digits")
    warnings2 = check_collisions(rows, norm_ascii_cyrillic,
                                 "ASCII and Cyrillic only")
    for w in sorted(set(warnings) | set(warnings2)):
        note("WARNING: loader-level collision (not in aliases): " + w)
    for iso, a in dropped:
        note("dropped ambiguous alias for %s: %r" % (iso, a))
    return rows


def write_csv(rows, path):
    d = os.path.dirname(os.path.abspath(path))
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=d, prefix=".regions.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=OUT_COLUMNS,
                               lineterminator="\n")
            w.writeheader()
            for r in rows:
                w.writerow(r)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main(argv=None):
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("reference", nargs="?",
                    default=os.path.join(root, "..", "shared", "reference"),
                    help="reference directory (default: %(default)s)")
    ap.add_argument("--out", default=os.path.join(root, "datasets",
                                                  "regions.csv"))
    args = ap.parse_args(argv)
    try:
        rows = build(os.path.normpath(args.reference))
    except BuildError as e:
        print("make_registry: ERROR: %s" % e, file=sys.stderr)
        return 1
    write_csv(rows, args.out)
    note("wrote %s (%d regions)" % (args.out, len(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
