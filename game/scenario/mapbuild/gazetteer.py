"""The bundled gazetteer: world cities by name and country, for map anchors.

The data is GeoNames' list of cities over 15,000 people (assets/geo/cities15000.tsv.gz,
CC BY 4.0), with each city's Latin-script alternative names so that historical names
(Constantinople, Königsberg, Pressburg) find today's city.  Matching ignores case and
accents; where several cities share a name, the most populous one wins, and a designer
who means another gives `lonlat` instead.  Countries are indexed on first use, because
folding every name of the world takes longer than building a whole small map.
"""

from __future__ import annotations

import difflib
import gzip
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from game import resources

GAZETTEER_FILE = resources.assets_dir() / "geo" / "cities15000.tsv.gz"

_NOT_DECOMPOSED = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ı": "i",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "ð": "d",
        "’": "'",
        "‘": "'",
    }
)


def fold(name: str) -> str:
    """The form names are compared in: no accents, no case, single spaces."""
    if name.isascii():
        return " ".join(name.lower().split())
    name = name.translate(_NOT_DECOMPOSED)
    bare = "".join(ch for ch in unicodedata.normalize("NFKD", name) if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


@dataclass(frozen=True)
class City:
    """One gazetteer entry."""

    name: str
    country: str
    lon: float
    lat: float
    population: int


class UnknownCity(LookupError):
    """No city of that name (in that country); the message suggests close names."""


@dataclass
class _CountryIndex:
    primary: dict[str, list[City]]
    alternate: dict[str, list[City]]
    display: dict[str, str]


class Gazetteer:
    """Cities grouped by country; each country's names are folded and indexed when first asked for."""

    def __init__(self, lines_by_country: dict[str, list[str]]) -> None:
        self._lines = lines_by_country
        self._indexes: dict[str, _CountryIndex] = {}

    def _index(self, country: str) -> _CountryIndex:
        index = self._indexes.get(country)
        if index is None:
            index = _CountryIndex({}, {}, {})
            for line in self._lines.get(country, []):
                name, code, lon, lat, population, alternates = line.split("\t")
                city = City(name, code, float(lon), float(lat), int(population))
                index.primary.setdefault(fold(name), []).append(city)
                index.display.setdefault(fold(name), name)
                for alternate in alternates.split("|") if alternates else []:
                    index.alternate.setdefault(fold(alternate), []).append(city)
                    index.display.setdefault(fold(alternate), f"{alternate} ({name})")
            self._indexes[country] = index
        return index

    def countries(self) -> list[str]:
        return sorted(self._lines)

    def find(self, name: str, country: str | None = None) -> City:
        """The city called `name` (in `country`, if given); raise UnknownCity with suggestions."""
        key = fold(name)
        countries = [country] if country is not None else self.countries()
        for tier in ("primary", "alternate"):
            matches: list[City] = [
                c for code in countries for c in getattr(self._index(code), tier).get(key, [])
            ]
            if matches:
                return max(matches, key=lambda c: (c.population, -c.lon, -c.lat))
        if country is not None:
            elsewhere = [
                code
                for code in self.countries()
                if key in self._index(code).primary or key in self._index(code).alternate
            ]
            if elsewhere:
                raise UnknownCity(
                    f"no city {name!r} in {country}; there is one in {', '.join(elsewhere[:8])}"
                )
        raise UnknownCity(self._unknown_message(name, key, countries, country))

    def _unknown_message(self, name: str, key: str, countries: list[str], country: str | None) -> str:
        where = f" in {country}" if country else ""
        display: dict[str, str] = {}
        for code in countries:
            for folded, shown in self._index(code).display.items():
                display.setdefault(folded, shown)
        close = difflib.get_close_matches(key, sorted(display), n=8, cutoff=0.75)
        if not close:
            return f"unknown city {name!r}{where} (the gazetteer has cities over 15,000 people; give lonlat instead)"
        # One suggestion per city, by its own name where that is close too.
        by_city: dict[str, str] = {}
        for folded in sorted(close, key=lambda k: "(" in display[k]):
            shown = display[folded]
            by_city.setdefault(shown.split(" (")[-1].rstrip(")"), shown)
        return f"unknown city {name!r}{where}; did you mean {', '.join(list(by_city.values())[:5])}?"


def read_lines(file: Path) -> dict[str, list[str]]:
    """The gazetteer TSV (name, country, lon, lat, population, alternates joined by |) by country."""
    by_country: dict[str, list[str]] = {}
    with gzip.open(file, "rt", encoding="utf-8") as stream:
        for line in stream:
            if line.startswith("#") or not line.strip():
                continue
            line = line.rstrip("\n")
            by_country.setdefault(line.split("\t", 2)[1], []).append(line)
    return by_country


@cache
def bundled_gazetteer() -> Gazetteer:
    """The gazetteer shipped in assets/geo, loaded once per process."""
    try:
        return Gazetteer(read_lines(resources.check(GAZETTEER_FILE)))
    except (OSError, EOFError, UnicodeDecodeError, IndexError) as exc:  # a truncated or garbled file
        raise resources.damaged(GAZETTEER_FILE) from exc
