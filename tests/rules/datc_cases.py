"""DATC test cases 6.A to 6.H as data, on the classic board (tests/fixtures/classic_board.yaml).

DATC: Diplomacy Adjudicator Test Cases by Lucas B. Kruijswijk, version 3.1 (2024-05-19). Each
case keeps the DATC number and title; the orders are the DATC's, written in our order syntax
with the usual three-letter ids. Where the DATC leaves a choice, the expected results follow the
DATC's preferences, listed with the cases that depend on them in docs/rules.md ("Choices where the
DATC offers several").

Notation used below:

- ``orders``: one ``state: order`` per line. Unless ``units`` is given, every ordered unit is
  placed first, for the state that orders it.
- ``units``: the units on the board, one ``state: A loc`` per line, when they cannot be read off
  the orders (a unit ordered by another state, a wrong coast in the order, a unit left unordered).
- ``results``: ``territory=result`` pairs; the result of the order given to the unit in that
  territory: ``succeeds``, ``fails`` or ``void`` (an illegal or unmatched order: ignored, the unit
  holds). Orders not listed are not checked.
- ``dislodged``: every territory whose unit is dislodged (checked exactly).
- ``retreats`` / ``retreat_results``: the retreat phase that follows, in the same notation.
- ``after``: units that must stand on the board at the end (``state T loc``); ``empty``:
  territories that must be empty at the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field

OUTCOMES = ("succeeds", "fails", "void")


@dataclass(frozen=True)
class DatcCase:
    """One DATC test case: the position, the orders and what must come of them."""

    number: str
    title: str
    units: tuple[tuple[str, str], ...]
    orders: tuple[tuple[str, str], ...]
    results: dict[str, str]
    dislodged: frozenset[str]
    retreats: tuple[tuple[str, str], ...] | None = None
    retreat_results: dict[str, str] = field(default_factory=dict)
    after: tuple[tuple[str, str], ...] = ()
    empty: tuple[str, ...] = ()
    note: str = ""

    @property
    def test_name(self) -> str:
        return "test_datc_" + self.number.lower().replace(".", "_")


def _lines(text: str) -> tuple[tuple[str, str], ...]:
    pairs = []
    for raw in text.strip().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        state, _, order = line.partition(":")
        pairs.append((state.strip(), order.strip()))
    return tuple(pairs)


def _results(text: str) -> dict[str, str]:
    results = {}
    for item in text.split():
        territory, _, outcome = item.partition("=")
        if outcome not in OUTCOMES:
            raise ValueError(f"bad outcome in {item!r}")
        results[territory] = outcome
    return results


def _unit_of(order: str) -> str:
    kind, location = order.split()[:2]
    return f"{kind} {location}"


def territory_of(location: str) -> str:
    return location.split("/")[0]


def case(
    number: str,
    title: str,
    orders: str,
    results: str,
    dislodged: str = "",
    *,
    units: str | None = None,
    retreats: str | None = None,
    retreat_results: str = "",
    after: str = "",
    empty: str = "",
    note: str = "",
) -> DatcCase:
    order_pairs = _lines(orders)
    if units is None:
        unit_pairs = tuple((state, _unit_of(order)) for state, order in order_pairs)
    else:
        unit_pairs = _lines(units)
    return DatcCase(
        number=number,
        title=title,
        units=unit_pairs,
        orders=order_pairs,
        results=_results(results),
        dislodged=frozenset(dislodged.split()),
        retreats=None if retreats is None else _lines(retreats),
        retreat_results=_results(retreat_results),
        after=_lines(after),
        empty=tuple(empty.split()),
        note=note,
    )


CASES: list[DatcCase] = [
    # ------------------------------------------------------------------ 6.A basic checks
    case(
        "6.A.1",
        "MOVING TO AN AREA THAT IS NOT A NEIGHBOUR",
        """
        eng: F nth - pic
        """,
        "nth=void",
        after="eng: F nth",
        empty="pic",
    ),
    case(
        "6.A.2",
        "MOVE ARMY TO SEA",
        """
        eng: A lvp - iri
        """,
        "lvp=void",
        after="eng: A lvp",
        empty="iri",
    ),
    case(
        "6.A.3",
        "MOVE FLEET TO LAND",
        """
        ger: F kie - mun
        """,
        "kie=void",
        after="ger: F kie",
        empty="mun",
    ),
    case(
        "6.A.4",
        "MOVE TO OWN SECTOR",
        """
        ger: F kie - kie
        """,
        "kie=void",
        after="ger: F kie",
        note="DATC: program should not crash. The order is illegal and the fleet holds.",
    ),
    case(
        "6.A.5",
        "MOVE TO OWN SECTOR WITH CONVOY",
        """
        eng: F nth C A yor - yor
        eng: A yor - yor
        eng: A lvp S A yor - yor
        ger: F lon - yor
        ger: A wal S F lon - yor
        """,
        "nth=void yor=void lvp=void lon=succeeds wal=succeeds",
        "yor",
        after="ger: F yor",
        note="The move of Yorkshire is illegal, so the support of Liverpool is too; London dislodges Yorkshire.",
    ),
    case(
        "6.A.6",
        "ORDERING A UNIT OF ANOTHER COUNTRY",
        """
        ger: F lon - nth
        """,
        "lon=void",
        units="eng: F lon",
        after="eng: F lon",
        empty="nth",
    ),
    case(
        "6.A.7",
        "ONLY ARMIES CAN BE CONVOYED",
        """
        eng: F lon - bel
        eng: F nth C A lon - bel
        """,
        "lon=void nth=void",
        after="eng: F lon",
        empty="bel",
    ),
    case(
        "6.A.8",
        "SUPPORT TO HOLD YOURSELF IS NOT POSSIBLE",
        """
        ita: A ven - tri
        ita: A tyr S A ven - tri
        aus: F tri S F tri
        """,
        "ven=succeeds tyr=succeeds tri=void",
        "tri",
        after="ita: A tri",
    ),
    case(
        "6.A.9",
        "FLEETS MUST FOLLOW COAST IF NOT ON SEA",
        """
        ita: F rom - ven
        """,
        "rom=void",
        after="ita: F rom",
        empty="ven",
    ),
    case(
        "6.A.10",
        "SUPPORT ON UNREACHABLE DESTINATION NOT POSSIBLE",
        """
        aus: A ven H
        ita: F rom S A apu - ven
        ita: A apu - ven
        """,
        "ven=succeeds rom=void apu=fails",
        after="aus: A ven\nita: A apu",
    ),
    case(
        "6.A.11",
        "SIMPLE BOUNCE",
        """
        aus: A vie - tyr
        ita: A ven - tyr
        """,
        "vie=fails ven=fails",
        empty="tyr",
    ),
    case(
        "6.A.12",
        "BOUNCE OF THREE UNITS",
        """
        aus: A vie - tyr
        ger: A mun - tyr
        ita: A ven - tyr
        """,
        "vie=fails mun=fails ven=fails",
        empty="tyr",
    ),
    # ------------------------------------------------------------------ 6.B coastal issues
    case(
        "6.B.1",
        "MOVING WITH UNSPECIFIED COAST WHEN COAST IS NECESSARY",
        """
        fra: F por - spa
        """,
        "por=void",
        after="fra: F por",
        empty="spa",
    ),
    case(
        "6.B.2",
        "MOVING WITH UNSPECIFIED COAST WHEN COAST IS NOT NECESSARY",
        """
        fra: F gas - spa
        """,
        "gas=succeeds",
        after="fra: F spa/nc",
        note="DATC preference (4.B.2 a): the move goes to the only reachable coast, the north coast.",
    ),
    case(
        "6.B.3",
        "MOVING WITH WRONG COAST WHEN COAST IS NOT NECESSARY",
        """
        fra: F gas - spa/sc
        """,
        "gas=void",
        after="fra: F gas",
        empty="spa",
        note="DATC preference (4.B.3 b): an impossible coast makes the order illegal.",
    ),
    case(
        "6.B.4",
        "SUPPORT TO UNREACHABLE COAST ALLOWED",
        """
        fra: F gas - spa/nc
        fra: F mar S F gas - spa/nc
        ita: F wes - spa/sc
        """,
        "gas=succeeds mar=succeeds wes=fails",
        after="fra: F spa/nc\nita: F wes",
    ),
    case(
        "6.B.5",
        "SUPPORT FROM UNREACHABLE COAST NOT ALLOWED",
        """
        fra: F mar - lyo
        fra: F spa/nc S F mar - lyo
        ita: F lyo H
        """,
        "mar=fails spa=void lyo=succeeds",
    ),
    case(
        "6.B.6",
        "SUPPORT CAN BE CUT WITH OTHER COAST",
        """
        eng: F iri S F nao - mao
        eng: F nao - mao
        fra: F spa/nc S F mao
        fra: F mao H
        ita: F lyo - spa/sc
        """,
        "iri=succeeds nao=succeeds spa=fails mao=fails lyo=fails",
        "mao",
        after="eng: F mao\nfra: F spa/nc",
    ),
    case(
        "6.B.7",
        "SUPPORTING OWN UNIT WITH UNSPECIFIED COAST",
        """
        fra: F por S F mao - spa
        fra: F mao - spa/nc
        ita: F lyo S F wes - spa/sc
        ita: F wes - spa/sc
        """,
        "por=succeeds mao=fails lyo=succeeds wes=fails",
        empty="spa",
        note="DATC preference: a support without coast matches the move to a coast; both moves bounce.",
    ),
    case(
        "6.B.8",
        "SUPPORTING WITH UNSPECIFIED COAST WHEN ONLY ONE COAST IS POSSIBLE",
        """
        fra: F por S F gas - spa
        fra: F gas - spa/nc
        ita: F lyo S F wes - spa/sc
        ita: F wes - spa/sc
        """,
        "por=succeeds gas=fails lyo=succeeds wes=fails",
        empty="spa",
    ),
    case(
        "6.B.9",
        "SUPPORTING WITH WRONG COAST",
        """
        fra: F por S F mao - spa/nc
        fra: F mao - spa/sc
        ita: F lyo S F wes - spa/sc
        ita: F wes - spa/sc
        """,
        "por=void mao=fails lyo=succeeds wes=succeeds",
        after="ita: F spa/sc\nfra: F mao",
        note="A coast in a support must match the coast of the move: Portugal's support is unmatched.",
    ),
    case(
        "6.B.10",
        "UNIT ORDERED WITH WRONG COAST",
        """
        fra: F spa/nc - lyo
        """,
        "spa=succeeds",
        units="fra: F spa/sc",
        after="fra: F lyo",
        empty="spa",
        note="DATC preference (4.B.5 b): the coast of the ordered unit is ignored; the move is attempted.",
    ),
    case(
        "6.B.11",
        "COAST CANNOT BE ORDERED TO CHANGE",
        """
        fra: F spa/sc - lyo
        """,
        "spa=void",
        units="fra: F spa/nc",
        after="fra: F spa/nc",
        empty="lyo",
        note="The wrong coast of the unit is ignored; from the north coast Lyon is unreachable: illegal.",
    ),
    case(
        "6.B.12",
        "ARMY MOVEMENT WITH COASTAL SPECIFICATION",
        """
        fra: A gas - spa/nc
        """,
        "gas=succeeds",
        after="fra: A spa",
        note="DATC preference (4.B.6 b): a coast in an army's move is ignored.",
    ),
    case(
        "6.B.13",
        "COASTAL CRAWL NOT ALLOWED",
        """
        tur: F bul/sc - con
        tur: F con - bul/ec
        """,
        "bul=fails con=fails",
        after="tur: F bul/sc\ntur: F con",
    ),
    case(
        "6.B.14",
        "BUILDING WITH UNSPECIFIED COAST",
        "",
        "",
        note="Russia: Build F stp. The build fails: a fleet in a territory with named coasts must name "
        "its coast. The sandbox has no adjustment phase, so the test checks that a fleet cannot be put "
        "on stp without a coast (see test_datc.py).",
    ),
    case(
        "6.B.15",
        "SUPPORTING FOREIGN UNIT WITH UNSPECIFIED COAST",
        """
        fra: F por S F mao - spa
        eng: F mao - spa/nc
        ita: F lyo S F wes - spa/sc
        ita: F wes - spa/sc
        """,
        "por=succeeds mao=fails lyo=succeeds wes=fails",
        empty="spa",
        note="DATC preference: the support without coast also matches a foreign unit's move; both bounce.",
    ),
    # ------------------------------------------------------------------ 6.C circular movement
    case(
        "6.C.1",
        "THREE ARMY CIRCULAR MOVEMENT",
        """
        tur: F ank - con
        tur: A con - smy
        tur: A smy - ank
        """,
        "ank=succeeds con=succeeds smy=succeeds",
        after="tur: F con\ntur: A smy\ntur: A ank",
    ),
    case(
        "6.C.2",
        "THREE ARMY CIRCULAR MOVEMENT WITH SUPPORT",
        """
        tur: F ank - con
        tur: A con - smy
        tur: A smy - ank
        tur: A bul S F ank - con
        """,
        "ank=succeeds con=succeeds smy=succeeds bul=succeeds",
        after="tur: F con\ntur: A smy\ntur: A ank",
    ),
    case(
        "6.C.3",
        "A DISRUPTED THREE ARMY CIRCULAR MOVEMENT",
        """
        tur: F ank - con
        tur: A con - smy
        tur: A smy - ank
        tur: A bul - con
        """,
        "ank=fails con=fails smy=fails bul=fails",
        after="tur: F ank\ntur: A con\ntur: A smy\ntur: A bul",
    ),
    case(
        "6.C.4",
        "A CIRCULAR MOVEMENT WITH ATTACKED CONVOY",
        """
        aus: A tri - ser
        aus: A ser - bul
        tur: A bul - tri
        tur: F aeg C A bul - tri
        tur: F ion C A bul - tri
        tur: F adr C A bul - tri
        ita: F nap - ion
        """,
        "tri=succeeds ser=succeeds bul=succeeds aeg=succeeds ion=succeeds adr=succeeds nap=fails",
        after="aus: A ser\naus: A bul\ntur: A tri",
    ),
    case(
        "6.C.5",
        "A DISRUPTED CIRCULAR MOVEMENT DUE TO DISLODGED CONVOY",
        """
        aus: A tri - ser
        aus: A ser - bul
        tur: A bul - tri
        tur: F aeg C A bul - tri
        tur: F ion C A bul - tri
        tur: F adr C A bul - tri
        ita: F nap - ion
        ita: F tun S F nap - ion
        """,
        "tri=fails ser=fails bul=fails ion=fails nap=succeeds tun=succeeds",
        "ion",
        after="aus: A tri\naus: A ser\ntur: A bul\nita: F ion",
    ),
    case(
        "6.C.6",
        "TWO ARMIES WITH TWO CONVOYS",
        """
        eng: F nth C A lon - bel
        eng: A lon - bel
        fra: F eng C A bel - lon
        fra: A bel - lon
        """,
        "nth=succeeds lon=succeeds eng=succeeds bel=succeeds",
        after="eng: A bel\nfra: A lon",
    ),
    case(
        "6.C.7",
        "DISRUPTED UNIT SWAP",
        """
        eng: F nth C A lon - bel
        eng: A lon - bel
        fra: F eng C A bel - lon
        fra: A bel - lon
        fra: A bur - bel
        """,
        "lon=fails bel=fails bur=fails",
        after="eng: A lon\nfra: A bel\nfra: A bur",
    ),
    case(
        "6.C.8",
        "NO SELF DISLODGEMENT IN DISRUPTED CIRCULAR MOVEMENT",
        """
        tur: F con - bla
        tur: A bul - con
        tur: A smy S A bul - con
        rus: F bla - bul/ec
        aus: A ser - bul
        """,
        "con=fails bul=fails bla=fails ser=fails",
        after="tur: F con\ntur: A bul\nrus: F bla\naus: A ser",
    ),
    case(
        "6.C.9",
        "NO HELP IN DISLODGEMENT OF OWN UNIT IN DISRUPTED CIRCULAR MOVEMENT",
        """
        tur: F con - bla
        tur: A smy S A bul - con
        rus: F bla - bul/ec
        aus: A ser - bul
        aus: A bul - con
        """,
        "con=fails bla=fails ser=fails bul=fails",
        after="tur: F con\naus: A bul\nrus: F bla\naus: A ser",
    ),
    # ------------------------------------------------------------------ 6.D supports and dislodges
    case(
        "6.D.1",
        "SUPPORTED HOLD CAN PREVENT DISLODGEMENT",
        """
        aus: F adr S A tri - ven
        aus: A tri - ven
        ita: A ven H
        ita: A tyr S A ven
        """,
        "adr=succeeds tri=fails ven=succeeds tyr=succeeds",
    ),
    case(
        "6.D.2",
        "A MOVE CUTS SUPPORT ON HOLD",
        """
        aus: F adr S A tri - ven
        aus: A tri - ven
        aus: A vie - tyr
        ita: A ven H
        ita: A tyr S A ven
        """,
        "adr=succeeds tri=succeeds vie=fails ven=fails tyr=fails",
        "ven",
        after="aus: A ven",
    ),
    case(
        "6.D.3",
        "A MOVE CUTS SUPPORT ON MOVE",
        """
        aus: F adr S A tri - ven
        aus: A tri - ven
        ita: A ven H
        ita: F ion - adr
        """,
        "adr=fails tri=fails ven=succeeds ion=fails",
    ),
    case(
        "6.D.4",
        "SUPPORT TO HOLD ON UNIT SUPPORTING A HOLD ALLOWED",
        """
        ger: A ber S F kie
        ger: F kie S A ber
        rus: F bal S A pru - ber
        rus: A pru - ber
        """,
        "ber=fails kie=succeeds bal=succeeds pru=fails",
        note="Berlin's support is cut by the attack from Prussia; Kiel's support keeps Berlin.",
    ),
    case(
        "6.D.5",
        "SUPPORT TO HOLD ON UNIT SUPPORTING A MOVE ALLOWED",
        """
        ger: A ber S A mun - sil
        ger: F kie S A ber
        ger: A mun - sil
        rus: F bal S A pru - ber
        rus: A pru - ber
        """,
        "ber=fails kie=succeeds mun=succeeds pru=fails",
        after="ger: A sil",
    ),
    case(
        "6.D.6",
        "SUPPORT TO HOLD ON CONVOYING UNIT ALLOWED",
        """
        ger: A ber - swe
        ger: F bal C A ber - swe
        ger: F pru S F bal
        rus: F lvn - bal
        rus: F bot S F lvn - bal
        """,
        "ber=succeeds bal=succeeds pru=succeeds lvn=fails",
        after="ger: A swe\nger: F bal",
    ),
    case(
        "6.D.7",
        "SUPPORT TO HOLD ON MOVING UNIT NOT ALLOWED",
        """
        ger: F bal - swe
        ger: F pru S F bal
        rus: F lvn - bal
        rus: F bot S F lvn - bal
        rus: A fin - swe
        """,
        "bal=fails pru=void lvn=succeeds bot=succeeds fin=fails",
        "bal",
        after="rus: F bal",
        empty="swe",
        note="A support to hold a unit that is ordered to move is unmatched (void).",
    ),
    case(
        "6.D.8",
        "FAILED CONVOY CANNOT RECEIVE HOLD SUPPORT",
        """
        aus: F ion H
        aus: A ser S A alb - gre
        aus: A alb - gre
        tur: A gre - nap
        tur: A bul S A gre
        """,
        "ion=succeeds ser=succeeds alb=succeeds gre=fails bul=void",
        "gre",
        after="aus: A gre",
        note="Greece - Naples is possible by convoy (there is a fleet in the Ionian Sea), so it is a legal "
        "move that fails for want of a convoy, not an illegal order: Greece cannot receive hold support.",
    ),
    case(
        "6.D.9",
        "SUPPORT TO MOVE ON HOLDING UNIT NOT ALLOWED",
        """
        ita: A ven - tri
        ita: A tyr S A ven - tri
        aus: A alb S A tri - ser
        aus: A tri H
        """,
        "ven=succeeds tyr=succeeds alb=void tri=fails",
        "tri",
        after="ita: A tri",
    ),
    case(
        "6.D.10",
        "SELF DISLODGMENT PROHIBITED",
        """
        ger: A ber H
        ger: F kie - ber
        ger: A mun S F kie - ber
        """,
        "ber=succeeds kie=fails",
        after="ger: A ber\nger: F kie",
    ),
    case(
        "6.D.11",
        "NO SELF DISLODGMENT OF RETURNING UNIT",
        """
        ger: A ber - pru
        ger: F kie - ber
        ger: A mun S F kie - ber
        rus: A war - pru
        """,
        "ber=fails kie=fails war=fails",
        after="ger: A ber\nger: F kie",
    ),
    case(
        "6.D.12",
        "SUPPORTING A FOREIGN UNIT TO DISLODGE OWN UNIT PROHIBITED",
        """
        aus: F tri H
        aus: A vie S A ven - tri
        ita: A ven - tri
        """,
        "tri=succeeds ven=fails",
        after="aus: F tri",
    ),
    case(
        "6.D.13",
        "SUPPORTING A FOREIGN UNIT TO DISLODGE A RETURNING OWN UNIT PROHIBITED",
        """
        aus: F tri - adr
        aus: A vie S A ven - tri
        ita: A ven - tri
        ita: F apu - adr
        """,
        "tri=fails ven=fails apu=fails",
        after="aus: F tri",
    ),
    case(
        "6.D.14",
        "SUPPORTING A FOREIGN UNIT IS NOT ENOUGH TO PREVENT DISLODGEMENT",
        """
        aus: F tri H
        aus: A vie S A ven - tri
        ita: A ven - tri
        ita: A tyr S A ven - tri
        ita: F adr S A ven - tri
        """,
        "tri=fails ven=succeeds",
        "tri",
        after="ita: A tri",
    ),
    case(
        "6.D.15",
        "DEFENDER CANNOT CUT SUPPORT FOR ATTACK ON ITSELF",
        """
        rus: F con S F bla - ank
        rus: F bla - ank
        tur: F ank - con
        """,
        "con=succeeds bla=succeeds ank=fails",
        "ank",
        after="rus: F ank",
    ),
    case(
        "6.D.16",
        "CONVOYING A UNIT DISLODGING A UNIT OF SAME POWER IS ALLOWED",
        """
        eng: A lon H
        eng: F nth C A bel - lon
        fra: F eng S A bel - lon
        fra: A bel - lon
        """,
        "lon=fails nth=succeeds eng=succeeds bel=succeeds",
        "lon",
        after="fra: A lon",
    ),
    case(
        "6.D.17",
        "DISLODGEMENT CUTS SUPPORTS",
        """
        rus: F con S F bla - ank
        rus: F bla - ank
        tur: F ank - con
        tur: A smy S F ank - con
        tur: A arm - ank
        """,
        "con=fails bla=fails ank=succeeds smy=succeeds arm=fails",
        "con",
        after="tur: F con\nrus: F bla",
        empty="ank",
    ),
    case(
        "6.D.18",
        "A SURVIVING UNIT WILL SUSTAIN SUPPORT",
        """
        rus: F con S F bla - ank
        rus: F bla - ank
        rus: A bul S F con
        tur: F ank - con
        tur: A smy S F ank - con
        tur: A arm - ank
        """,
        "con=succeeds bla=succeeds bul=succeeds ank=fails arm=fails",
        "ank",
        after="rus: F ank\nrus: F con",
    ),
    case(
        "6.D.19",
        "EVEN WHEN SURVIVING IS IN ALTERNATIVE WAY",
        """
        rus: F con S F bla - ank
        rus: F bla - ank
        rus: A smy S F ank - con
        tur: F ank - con
        """,
        "con=succeeds bla=succeeds ank=fails",
        "ank",
        after="rus: F ank\nrus: F con",
    ),
    case(
        "6.D.20",
        "UNIT CANNOT CUT SUPPORT OF ITS OWN COUNTRY",
        """
        eng: F lon S F nth - eng
        eng: F nth - eng
        eng: A yor - lon
        fra: F eng H
        """,
        "lon=succeeds nth=succeeds yor=fails eng=fails",
        "eng",
        after="eng: F eng",
    ),
    case(
        "6.D.21",
        "DISLODGING DOES NOT CANCEL A SUPPORT CUT",
        """
        aus: F tri H
        ita: A ven - tri
        ita: A tyr S A ven - tri
        ger: A mun - tyr
        rus: A sil - mun
        rus: A ber S A sil - mun
        """,
        "tri=succeeds ven=fails tyr=fails mun=fails sil=succeeds ber=succeeds",
        "mun",
        after="aus: F tri\nrus: A mun",
    ),
    case(
        "6.D.22",
        "IMPOSSIBLE FLEET MOVE CANNOT BE SUPPORTED",
        """
        ger: F kie - mun
        ger: A bur S F kie - mun
        rus: A mun - kie
        rus: A ber S A mun - kie
        """,
        "kie=void bur=void mun=succeeds ber=succeeds",
        "kie",
        after="rus: A kie",
    ),
    case(
        "6.D.23",
        "IMPOSSIBLE COAST MOVE CANNOT BE SUPPORTED",
        """
        ita: F lyo - spa/sc
        ita: F wes S F lyo - spa/sc
        fra: F spa/nc - lyo
        fra: F mar S F spa/nc - lyo
        """,
        "lyo=succeeds wes=succeeds spa=void mar=void",
        "spa",
        after="ita: F spa/sc",
    ),
    case(
        "6.D.24",
        "IMPOSSIBLE ARMY MOVE CANNOT BE SUPPORTED",
        """
        fra: A mar - lyo
        fra: F spa/sc S A mar - lyo
        ita: F lyo H
        tur: F tys S F wes - lyo
        tur: F wes - lyo
        """,
        "mar=void spa=void lyo=fails tys=succeeds wes=succeeds",
        "lyo",
        after="tur: F lyo\nfra: A mar",
    ),
    case(
        "6.D.25",
        "FAILING HOLD SUPPORT CAN BE SUPPORTED",
        """
        ger: A ber S A pru
        ger: F kie S A ber
        rus: F bal S A pru - ber
        rus: A pru - ber
        """,
        "ber=void kie=succeeds pru=fails",
        after="ger: A ber\nrus: A pru",
    ),
    case(
        "6.D.26",
        "FAILING MOVE SUPPORT CAN BE SUPPORTED",
        """
        ger: A ber S A pru - sil
        ger: F kie S A ber
        rus: F bal S A pru - ber
        rus: A pru - ber
        """,
        "ber=void kie=succeeds pru=fails",
        after="ger: A ber\nrus: A pru",
    ),
    case(
        "6.D.27",
        "FAILING CONVOY CAN BE SUPPORTED",
        """
        eng: F swe - bal
        eng: F den S F swe - bal
        ger: A ber H
        rus: F bal C A ber - lvn
        rus: F pru S F bal
        """,
        "swe=fails den=succeeds ber=succeeds bal=void pru=succeeds",
        after="rus: F bal\neng: F swe",
    ),
    case(
        "6.D.28",
        "IMPOSSIBLE MOVE AND SUPPORT",
        """
        aus: A bud S F rum
        rus: F rum - hol
        tur: F bla - rum
        tur: A bul S F bla - rum
        """,
        "bud=succeeds rum=void bla=fails bul=succeeds",
        after="rus: F rum",
        note="2023 rules / DATC 4.E.1: an impossible move is ignored, so Rumania holds and is supported.",
    ),
    case(
        "6.D.29",
        "MOVE TO IMPOSSIBLE COAST AND SUPPORT",
        """
        aus: A bud S F rum
        rus: F rum - bul/sc
        tur: F bla - rum
        tur: A bul S F bla - rum
        """,
        "bud=succeeds rum=void bla=fails bul=succeeds",
        after="rus: F rum",
    ),
    case(
        "6.D.30",
        "MOVE WITHOUT COAST AND SUPPORT",
        """
        ita: F aeg S F con
        rus: F con - bul
        tur: F bla - con
        tur: A bul S F bla - con
        """,
        "aeg=succeeds con=void bla=fails bul=succeeds",
        after="rus: F con",
    ),
    case(
        "6.D.31",
        "A TRICKY IMPOSSIBLE SUPPORT",
        """
        aus: A rum - arm
        tur: F bla S A rum - arm
        """,
        "rum=fails bla=void",
        after="aus: A rum",
        empty="arm",
        note="Rumania - Armenia could only go by convoy through the Black Sea, and a fleet cannot convoy "
        "and support at once: the support is illegal. The move itself is legal (a convoy through the "
        "Black Sea is possible) and fails for want of a convoy.",
    ),
    case(
        "6.D.32",
        "A MISSING FLEET",
        """
        eng: F edi S A lvp - yor
        eng: A lvp - yor
        fra: F lon S A yor
        ger: A yor - hol
        """,
        "edi=succeeds lvp=fails lon=succeeds yor=void",
        after="ger: A yor\neng: A lvp",
        note="No fleet stands where a convoy from Yorkshire to Holland could go: the move is illegal and "
        "ignored, so Yorkshire holds and receives the French support.",
    ),
    case(
        "6.D.33",
        "UNWANTED SUPPORT ALLOWED",
        """
        aus: A ser - bud
        aus: A vie - bud
        rus: A gal S A ser - bud
        tur: A bul - ser
        """,
        "ser=succeeds vie=fails gal=succeeds bul=succeeds",
        after="aus: A bud\naus: A vie\ntur: A ser",
    ),
    case(
        "6.D.34",
        "SUPPORT TARGETING OWN AREA NOT ALLOWED",
        """
        ger: A ber - pru
        ger: A sil S A ber - pru
        ger: F bal S A ber - pru
        ita: A pru S A lvn - pru
        rus: A war S A lvn - pru
        rus: A lvn - pru
        """,
        "ber=succeeds sil=succeeds bal=succeeds pru=void war=succeeds lvn=fails",
        "pru",
        after="ger: A pru",
    ),
    # ------------------------------------------------------------------ 6.E head-to-head, beleaguered garrison
    case(
        "6.E.1",
        "DISLODGED UNIT HAS NO EFFECT ON ATTACKER'S AREA",
        """
        ger: A ber - pru
        ger: F kie - ber
        ger: A sil S A ber - pru
        rus: A pru - ber
        """,
        "ber=succeeds kie=succeeds sil=succeeds pru=fails",
        "pru",
        after="ger: A pru\nger: F ber",
    ),
    case(
        "6.E.2",
        "NO SELF DISLODGEMENT IN HEAD-TO-HEAD BATTLE",
        """
        ger: A ber - kie
        ger: F kie - ber
        ger: A mun S A ber - kie
        """,
        "ber=fails kie=fails",
        after="ger: A ber\nger: F kie",
    ),
    case(
        "6.E.3",
        "NO HELP IN DISLODGING OWN UNIT",
        """
        ger: A ber - kie
        ger: A mun S F kie - ber
        eng: F kie - ber
        """,
        "ber=fails kie=fails",
        after="ger: A ber\neng: F kie",
    ),
    case(
        "6.E.4",
        "NON-DISLODGED LOSER STILL HAS EFFECT",
        """
        ger: F hol - nth
        ger: F hel S F hol - nth
        ger: F ska S F hol - nth
        fra: F nth - hol
        fra: F bel S F nth - hol
        eng: F edi S F nwg - nth
        eng: F yor S F nwg - nth
        eng: F nwg - nth
        aus: A kie S A ruh - hol
        aus: A ruh - hol
        """,
        "hol=fails nth=fails nwg=fails ruh=fails",
        after="ger: F hol\nfra: F nth\neng: F nwg\naus: A ruh",
    ),
    case(
        "6.E.5",
        "LOSER DISLODGED BY ANOTHER ARMY STILL HAS EFFECT",
        """
        ger: F hol - nth
        ger: F hel S F hol - nth
        ger: F ska S F hol - nth
        fra: F nth - hol
        fra: F bel S F nth - hol
        eng: F edi S F nwg - nth
        eng: F yor S F nwg - nth
        eng: F nwg - nth
        eng: F lon S F nwg - nth
        aus: A kie S A ruh - hol
        aus: A ruh - hol
        """,
        "hol=fails nth=fails nwg=succeeds ruh=fails",
        "nth",
        after="ger: F hol\neng: F nth\naus: A ruh",
    ),
    case(
        "6.E.6",
        "NOT DISLODGE BECAUSE OF OWN SUPPORT STILL HAS EFFECT",
        """
        ger: F hol - nth
        ger: F hel S F hol - nth
        fra: F nth - hol
        fra: F bel S F nth - hol
        fra: F eng S F hol - nth
        aus: A kie S A ruh - hol
        aus: A ruh - hol
        """,
        "hol=fails nth=fails ruh=fails",
        after="ger: F hol\nfra: F nth\naus: A ruh",
    ),
    case(
        "6.E.7",
        "NO SELF DISLODGEMENT WITH BELEAGUERED GARRISON",
        """
        eng: F nth H
        eng: F yor S F nwy - nth
        ger: F hol S F hel - nth
        ger: F hel - nth
        rus: F ska S F nwy - nth
        rus: F nwy - nth
        """,
        "nth=succeeds hel=fails nwy=fails",
        after="eng: F nth",
    ),
    case(
        "6.E.8",
        "NO SELF DISLODGEMENT WITH BELEAGUERED GARRISON AND HEAD-TO-HEAD BATTLE",
        """
        eng: F nth - nwy
        eng: F yor S F nwy - nth
        ger: F hol S F hel - nth
        ger: F hel - nth
        rus: F ska S F nwy - nth
        rus: F nwy - nth
        """,
        "nth=fails hel=fails nwy=fails",
        after="eng: F nth\nrus: F nwy\nger: F hel",
    ),
    case(
        "6.E.9",
        "ALMOST SELF DISLODGEMENT WITH BELEAGUERED GARRISON",
        """
        eng: F nth - nwg
        eng: F yor S F nwy - nth
        ger: F hol S F hel - nth
        ger: F hel - nth
        rus: F ska S F nwy - nth
        rus: F nwy - nth
        """,
        "nth=succeeds hel=fails nwy=succeeds",
        after="eng: F nwg\nrus: F nth\nger: F hel",
    ),
    case(
        "6.E.10",
        "ALMOST CIRCULAR MOVEMENT WITH NO SELF DISLODGEMENT WITH BELEAGUERED GARRISON",
        """
        eng: F nth - den
        eng: F yor S F nwy - nth
        ger: F hol S F hel - nth
        ger: F hel - nth
        ger: F den - hel
        rus: F ska S F nwy - nth
        rus: F nwy - nth
        """,
        "nth=fails hel=fails den=fails nwy=fails",
        after="eng: F nth\nger: F hel\nger: F den\nrus: F nwy",
    ),
    case(
        "6.E.11",
        "NO SELF DISLODGEMENT WITH BELEAGUERED GARRISON, UNIT SWAP WITH ADJACENT CONVOYING AND TWO COASTS",
        """
        fra: A spa - por via convoy
        fra: F mao C A spa - por
        fra: F lyo S F por - spa/nc
        ger: A mar S A gas - spa
        ger: A gas - spa
        ita: F por - spa/nc
        ita: F wes S F por - spa/nc
        """,
        "spa=succeeds mao=succeeds lyo=succeeds gas=fails por=succeeds wes=succeeds",
        after="fra: A por\nita: F spa/nc\nger: A gas",
    ),
    case(
        "6.E.12",
        "SUPPORT ON ATTACK ON OWN UNIT CAN BE USED FOR OTHER MEANS",
        """
        aus: A bud - rum
        aus: A ser S A vie - bud
        ita: A vie - bud
        rus: A gal - bud
        rus: A rum S A gal - bud
        """,
        "bud=fails ser=succeeds vie=fails gal=fails rum=succeeds",
        after="aus: A bud\nita: A vie\nrus: A gal\nrus: A rum",
    ),
    case(
        "6.E.13",
        "THREE WAY BELEAGUERED GARRISON",
        """
        eng: F edi S F yor - nth
        eng: F yor - nth
        fra: F bel - nth
        fra: F eng S F bel - nth
        ger: F nth H
        rus: F nwg - nth
        rus: F nwy S F nwg - nth
        """,
        "yor=fails bel=fails nth=succeeds nwg=fails",
        after="ger: F nth",
    ),
    case(
        "6.E.14",
        "ILLEGAL HEAD-TO-HEAD BATTLE CAN STILL DEFEND",
        """
        eng: A lvp - edi
        rus: F edi - lvp
        """,
        "lvp=fails edi=void",
        after="eng: A lvp\nrus: F edi",
    ),
    case(
        "6.E.15",
        "THE FRIENDLY HEAD-TO-HEAD BATTLE",
        """
        eng: F hol S A ruh - kie
        eng: A ruh - kie
        fra: A kie - ber
        fra: A mun S A kie - ber
        fra: A sil S A kie - ber
        ger: A ber - kie
        ger: F den S A ber - kie
        ger: F hel S A ber - kie
        rus: F bal S A pru - ber
        rus: A pru - ber
        """,
        "ruh=fails kie=fails ber=fails pru=fails",
        after="fra: A kie\nger: A ber",
    ),
    # ------------------------------------------------------------------ 6.F convoys
    case(
        "6.F.1",
        "NO CONVOY IN COASTAL AREAS",
        """
        tur: A gre - sev
        tur: F aeg C A gre - sev
        tur: F con C A gre - sev
        tur: F bla C A gre - sev
        """,
        "gre=void aeg=void con=void bla=void",
        after="tur: A gre",
        empty="sev",
        note="Without the fleet in Constantinople no chain of fleets at sea links Greece to Sevastopol: "
        "the move is illegal (as in 6.D.32) and the convoys have nothing to match.",
    ),
    case(
        "6.F.2",
        "AN ARMY BEING CONVOYED CAN BOUNCE AS NORMAL",
        """
        eng: F eng C A lon - bre
        eng: A lon - bre
        fra: A par - bre
        """,
        "eng=succeeds lon=fails par=fails",
        empty="bre",
    ),
    case(
        "6.F.3",
        "AN ARMY BEING CONVOYED CAN RECEIVE SUPPORT",
        """
        eng: F eng C A lon - bre
        eng: A lon - bre
        eng: F mao S A lon - bre
        fra: A par - bre
        """,
        "lon=succeeds mao=succeeds par=fails",
        after="eng: A bre\nfra: A par",
    ),
    case(
        "6.F.4",
        "AN ATTACKED CONVOY IS NOT DISRUPTED",
        """
        eng: F nth C A lon - hol
        eng: A lon - hol
        ger: F ska - nth
        """,
        "nth=succeeds lon=succeeds ska=fails",
        after="eng: A hol",
    ),
    case(
        "6.F.5",
        "A BELEAGUERED CONVOY IS NOT DISRUPTED",
        """
        eng: F nth C A lon - hol
        eng: A lon - hol
        fra: F eng - nth
        fra: F bel S F eng - nth
        ger: F ska - nth
        ger: F den S F ska - nth
        """,
        "nth=succeeds lon=succeeds eng=fails ska=fails",
        after="eng: A hol\neng: F nth",
    ),
    case(
        "6.F.6",
        "DISLODGED CONVOY DOES NOT CUT SUPPORT",
        """
        eng: F nth C A lon - hol
        eng: A lon - hol
        ger: A hol S A bel
        ger: A bel S A hol
        ger: F hel S F ska - nth
        ger: F ska - nth
        fra: A pic - bel
        fra: A bur S A pic - bel
        """,
        "nth=fails lon=fails hol=succeeds bel=fails ska=succeeds pic=fails",
        "nth",
        after="ger: A hol\nger: A bel\nger: F nth\neng: A lon",
    ),
    case(
        "6.F.7",
        "DISLODGED CONVOY DOES NOT CAUSE CONTESTED AREA",
        """
        eng: F nth C A lon - hol
        eng: A lon - hol
        ger: F hel S F ska - nth
        ger: F ska - nth
        """,
        "nth=fails lon=fails ska=succeeds",
        "nth",
        retreats="""
        eng: F nth R hol
        """,
        retreat_results="nth=succeeds",
        after="eng: F hol\nger: F nth\neng: A lon",
    ),
    case(
        "6.F.8",
        "DISLODGED CONVOY DOES NOT CAUSE A BOUNCE",
        """
        eng: F nth C A lon - hol
        eng: A lon - hol
        ger: F hel S F ska - nth
        ger: F ska - nth
        ger: A bel - hol
        """,
        "nth=fails lon=fails ska=succeeds bel=succeeds",
        "nth",
        after="ger: A hol\neng: A lon",
    ),
    case(
        "6.F.9",
        "DISLODGE OF MULTI-ROUTE CONVOY",
        """
        eng: F eng C A lon - bel
        eng: F nth C A lon - bel
        eng: A lon - bel
        fra: F bre S F mao - eng
        fra: F mao - eng
        """,
        "eng=fails nth=succeeds lon=succeeds mao=succeeds",
        "eng",
        after="eng: A bel\nfra: F eng",
        note="DATC preference (4.A.1 b): a convoy is disrupted only when every route is.",
    ),
    case(
        "6.F.10",
        "DISLODGE OF MULTI-ROUTE CONVOY WITH FOREIGN FLEET",
        """
        eng: F nth C A lon - bel
        eng: A lon - bel
        ger: F eng C A lon - bel
        fra: F bre S F mao - eng
        fra: F mao - eng
        """,
        "nth=succeeds lon=succeeds eng=fails mao=succeeds",
        "eng",
        after="eng: A bel\nfra: F eng",
    ),
    case(
        "6.F.11",
        "DISLODGE OF MULTI-ROUTE CONVOY WITH ONLY FOREIGN FLEETS",
        """
        eng: A lon - bel
        ger: F eng C A lon - bel
        rus: F nth C A lon - bel
        fra: F bre S F mao - eng
        fra: F mao - eng
        """,
        "lon=succeeds eng=fails nth=succeeds mao=succeeds",
        "eng",
        after="eng: A bel\nfra: F eng",
    ),
    case(
        "6.F.12",
        "DISLODGED CONVOYING FLEET NOT ON ROUTE",
        """
        eng: F eng C A lon - bel
        eng: A lon - bel
        eng: F iri C A lon - bel
        fra: F nao S F mao - iri
        fra: F mao - iri
        """,
        "eng=succeeds lon=succeeds mao=succeeds",
        "iri",
        after="eng: A bel\nfra: F iri",
        note="The fleet in the Irish Sea is on no route from London to Belgium; its convoy order is not "
        "checked (void, as a convoy for which the fleet is not needed, or dislodged).",
    ),
    case(
        "6.F.13",
        "THE UNWANTED ALTERNATIVE",
        """
        eng: A lon - bel
        eng: F nth C A lon - bel
        fra: F eng C A lon - bel
        ger: F hol S F den - nth
        ger: F den - nth
        """,
        "lon=succeeds nth=fails eng=succeeds den=succeeds",
        "nth",
        after="eng: A bel\nger: F nth",
    ),
    case(
        "6.F.14",
        "SIMPLE CONVOY PARADOX",
        """
        eng: F lon S F wal - eng
        eng: F wal - eng
        fra: A bre - lon
        fra: F eng C A bre - lon
        """,
        "lon=succeeds wal=succeeds bre=fails eng=fails",
        "eng",
        after="eng: F eng\neng: F lon\nfra: A bre",
    ),
    case(
        "6.F.15",
        "SIMPLE CONVOY PARADOX WITH ADDITIONAL CONVOY",
        """
        eng: F lon S F wal - eng
        eng: F wal - eng
        fra: A bre - lon
        fra: F eng C A bre - lon
        ita: F iri C A naf - wal
        ita: F mao C A naf - wal
        ita: A naf - wal
        """,
        "lon=succeeds wal=succeeds bre=fails eng=fails iri=succeeds mao=succeeds naf=succeeds",
        "eng",
        after="eng: F eng\nita: A wal",
    ),
    case(
        "6.F.16",
        "PANDIN'S PARADOX",
        """
        eng: F lon S F wal - eng
        eng: F wal - eng
        fra: A bre - lon
        fra: F eng C A bre - lon
        ger: F nth S F bel - eng
        ger: F bel - eng
        """,
        "lon=succeeds wal=fails bre=fails eng=fails nth=succeeds bel=fails",
        after="fra: F eng\neng: F wal\nger: F bel",
        note="Szykman rule: the convoying fleet holds; London's support is not cut; nothing moves.",
    ),
    case(
        "6.F.17",
        "PANDIN'S EXTENDED PARADOX",
        """
        eng: F lon S F wal - eng
        eng: F wal - eng
        fra: A bre - lon
        fra: F eng C A bre - lon
        fra: F yor S A bre - lon
        ger: F nth S F bel - eng
        ger: F bel - eng
        """,
        "lon=succeeds wal=fails bre=fails eng=fails nth=succeeds bel=fails",
        after="eng: F lon\nfra: F eng\nfra: A bre",
        note="Szykman rule (DATC preference): the convoy fails, London and the English Channel are not "
        "dislodged. (Under the 2000/2023 paradox rule the army would dislodge London.)",
    ),
    case(
        "6.F.18",
        "BETRAYAL PARADOX",
        """
        eng: F nth C A lon - bel
        eng: A lon - bel
        eng: F eng S A lon - bel
        fra: F bel S F nth
        ger: F hel S F ska - nth
        ger: F ska - nth
        """,
        "nth=fails lon=fails bel=succeeds hel=succeeds ska=fails",
        after="eng: F nth\neng: A lon\nfra: F bel\nger: F ska",
        note="Szykman rule: the convoy in the North Sea fails (holds), so Belgium's support is not cut "
        "and the North Sea is not dislodged.",
    ),
    case(
        "6.F.19",
        "MULTI-ROUTE CONVOY DISRUPTION PARADOX",
        """
        fra: A tun - nap
        fra: F tys C A tun - nap
        fra: F ion C A tun - nap
        ita: F nap S F rom - tys
        ita: F rom - tys
        """,
        "tun=fails tys=succeeds ion=succeeds nap=fails rom=fails",
        after="fra: F tys\nita: F nap\nfra: A tun",
        note="No paradox under the Szykman rule: Naples' support is cut, Tyrrhenian Sea is not dislodged.",
    ),
    case(
        "6.F.20",
        "UNWANTED MULTI-ROUTE CONVOY PARADOX",
        """
        fra: A tun - nap
        fra: F tys C A tun - nap
        ita: F nap S F ion
        ita: F ion C A tun - nap
        tur: F aeg S F eas - ion
        tur: F eas - ion
        """,
        "tun=fails tys=succeeds nap=fails ion=fails aeg=succeeds eas=succeeds",
        "ion",
        after="tur: F ion\nita: F nap\nfra: A tun",
    ),
    case(
        "6.F.21",
        "DAD'S ARMY CONVOY",
        """
        rus: A edi S A nwy - cly
        rus: F nwg C A nwy - cly
        rus: A nwy - cly
        fra: F iri S F mao - nao
        fra: F mao - nao
        eng: A lvp - cly via convoy
        eng: F nao C A lvp - cly
        eng: F cly S F nao
        """,
        "edi=succeeds nwg=succeeds nwy=succeeds mao=succeeds lvp=fails nao=fails cly=fails",
        "nao cly",
        after="rus: A cly\nfra: F nao\neng: A lvp",
        note="The support of Clyde is cut (no 1982 paradox rule); the North Atlantic is dislodged, and "
        "Norway (with Edinburgh's support) dislodges Clyde.",
    ),
    case(
        "6.F.22",
        "SECOND ORDER PARADOX WITH TWO RESOLUTIONS",
        """
        eng: F edi - nth
        eng: F lon S F edi - nth
        fra: A bre - lon
        fra: F eng C A bre - lon
        ger: F bel S F pic - eng
        ger: F pic - eng
        rus: A nwy - bel
        rus: F nth C A nwy - bel
        """,
        "edi=succeeds lon=succeeds bre=fails eng=fails bel=succeeds pic=succeeds nwy=fails nth=fails",
        "eng nth",
        after="eng: F nth\nger: F eng\nfra: A bre\nrus: A nwy",
        note="Szykman rule: the convoys fail, the supports are not cut, both convoying fleets are dislodged.",
    ),
    case(
        "6.F.23",
        "SECOND ORDER PARADOX WITH TWO EXCLUSIVE CONVOYS",
        """
        eng: F edi - nth
        eng: F yor S F edi - nth
        fra: A bre - lon
        fra: F eng C A bre - lon
        ger: F bel S F eng
        ger: F lon S F nth
        ita: F mao - eng
        ita: F iri S F mao - eng
        rus: A nwy - bel
        rus: F nth C A nwy - bel
        """,
        "edi=fails bre=fails eng=fails nth=fails bel=succeeds lon=succeeds mao=fails nwy=fails",
        after="fra: F eng\nrus: F nth\nfra: A bre\nrus: A nwy\nger: F lon",
        note="Szykman rule: the convoying armies fail, the supports are not cut, no fleet moves.",
    ),
    case(
        "6.F.24",
        "SECOND ORDER PARADOX WITH NO RESOLUTION",
        """
        eng: F edi - nth
        eng: F lon S F edi - nth
        eng: F iri - eng
        eng: F mao S F iri - eng
        fra: A bre - lon
        fra: F eng C A bre - lon
        fra: F bel S F eng
        rus: A nwy - bel
        rus: F nth C A nwy - bel
        """,
        "edi=succeeds lon=succeeds iri=fails bre=fails eng=fails bel=succeeds nwy=fails nth=fails",
        "nth",
        after="eng: F nth\nfra: F eng\nfra: A bre\nrus: A nwy",
        note="Szykman rule: the supports are not cut and the convoying armies fail.",
    ),
    case(
        "6.F.25",
        "CUT SUPPORT LAST",
        """
        ger: A ruh - bel
        ger: A hol S A ruh - bel
        ger: A den - nwy
        ger: F ska C A den - nwy
        ger: A fin S A den - nwy
        eng: A yor - hol
        eng: F nth C A yor - hol
        eng: F hel S A yor - hol
        eng: A bel H
        rus: F nwg - nth
        rus: F nwy S F nwg - nth
        rus: F swe - ska
        """,
        "ruh=fails hol=fails den=succeeds ska=succeeds fin=succeeds yor=succeeds nth=succeeds "
        "hel=succeeds bel=succeeds nwg=fails nwy=fails swe=fails",
        "hol nwy",
        after="eng: A hol\neng: A bel\nger: A nwy\nger: A ruh",
        note="The convoys in the Skagerrak and the North Sea survive; Denmark - Norway and Yorkshire - "
        "Holland succeed (dislodging Norway and Holland) and cut their supports; Ruhr fails.",
    ),
    # ------------------------------------------------------------------ 6.G convoying to adjacent provinces
    # Rule followed (DATC v3 preference, 2000/2023 rulebook, see docs/rules.md): an army ordered to an
    # adjacent territory goes by convoy if the order says "via convoy", or if a fleet of its own state is
    # legally ordered to convoy it; otherwise by land. A convoy order for a fleet on no possible route is
    # illegal (6.G.19). Once the convoy route is chosen there is no fallback to land (6.G.8, 6.G.20): a
    # move via convoy that no fleets at sea could carry is void, one that no fleet convoys fails
    # (tests/test_convoy_rule.py).
    case(
        "6.G.1",
        "TWO UNITS CAN SWAP PROVINCES BY CONVOY",
        """
        eng: A nwy - swe
        eng: F ska C A nwy - swe
        rus: A swe - nwy
        """,
        "nwy=succeeds ska=succeeds swe=succeeds",
        after="eng: A swe\nrus: A nwy",
        note="England's own convoying fleet shows the intent to convoy: the armies swap.",
    ),
    case(
        "6.G.2",
        "KIDNAPPING AN ARMY",
        """
        eng: A nwy - swe
        rus: F swe - nwy
        ger: F ska C A nwy - swe
        """,
        "nwy=fails swe=fails",
        after="eng: A nwy\nrus: F swe",
        note="A foreign fleet cannot show intent: Norway goes by land and bounces (no kidnapping).",
    ),
    case(
        "6.G.3",
        "AN UNWANTED DISRUPTED CONVOY TO ADJACENT PROVINCE",
        """
        fra: F bre - eng
        fra: A pic - bel
        fra: A bur S A pic - bel
        fra: F mao S F bre - eng
        eng: F eng C A pic - bel
        """,
        "bre=succeeds pic=succeeds bur=succeeds mao=succeeds",
        "eng",
        after="fra: A bel\nfra: F eng",
    ),
    case(
        "6.G.4",
        "AN UNWANTED DISRUPTED CONVOY TO ADJACENT PROVINCE AND OPPOSITE MOVE",
        """
        fra: F bre - eng
        fra: A pic - bel
        fra: A bur S A pic - bel
        fra: F mao S F bre - eng
        eng: F eng C A pic - bel
        eng: A bel - pic
        """,
        "bre=succeeds pic=succeeds bel=fails",
        "eng bel",
        after="fra: A bel\nfra: F eng",
    ),
    case(
        "6.G.5",
        "SWAPPING WITH MULTIPLE FLEETS WITH ONE OWN FLEET",
        """
        ita: A rom - apu
        ita: F tys C A apu - rom
        tur: A apu - rom
        tur: F ion C A apu - rom
        """,
        "rom=succeeds tys=succeeds apu=succeeds ion=succeeds",
        after="ita: A apu\ntur: A rom",
        note="Turkey's own fleet in the Ionian Sea shows the intent; the route also uses the Italian fleet.",
    ),
    case(
        "6.G.6",
        "SWAPPING WITH UNINTENDED INTENT",
        """
        eng: A lvp - edi
        eng: F eng C A lvp - edi
        ger: A edi - lvp
        fra: F iri H
        fra: F nth H
        rus: F nwg C A lvp - edi
        rus: F nao C A lvp - edi
        """,
        "lvp=succeeds edi=succeeds iri=succeeds nth=succeeds nwg=succeeds nao=succeeds",
        after="eng: A edi\nger: A lvp",
        note="England's convoy order in the Channel shows the intent; the Russian fleets carry the army: swap.",
    ),
    case(
        "6.G.7",
        "SWAPPING WITH ILLEGAL INTENT",
        """
        eng: F ska C A swe - nwy
        eng: F nwy - swe
        rus: A swe - nwy
        rus: F bot C A swe - nwy
        """,
        "nwy=fails swe=fails bot=void",
        after="eng: F nwy\nrus: A swe",
        note="The Gulf of Bothnia is on no route from Sweden to Norway: its convoy is illegal and shows no "
        "intent; the English fleet is foreign. Sweden goes by land and bounces.",
    ),
    case(
        "6.G.8",
        "EXPLICIT CONVOY THAT ISN'T THERE",
        """
        fra: A bel - hol via convoy
        eng: F nth - hel
        eng: A hol - kie
        """,
        "bel=fails nth=succeeds hol=succeeds",
        after="fra: A bel\neng: F hel\neng: A kie",
        empty="hol",
        note="DATC v3 preference: no fallback to the land route; the move fails.",
    ),
    case(
        "6.G.9",
        "SWAPPED OR DISLODGED?",
        """
        eng: A nwy - swe
        eng: F ska C A nwy - swe
        eng: F fin S A nwy - swe
        rus: A swe - nwy
        """,
        "nwy=succeeds ska=succeeds fin=succeeds swe=succeeds",
        after="eng: A swe\nrus: A nwy",
        note="Norway goes by convoy (own fleet): the armies swap, Sweden is not dislodged.",
    ),
    case(
        "6.G.10",
        "SWAPPED OR AN HEAD-TO-HEAD BATTLE?",
        """
        eng: A nwy - swe via convoy
        eng: F den S A nwy - swe
        eng: F fin S A nwy - swe
        ger: F ska C A nwy - swe
        rus: A swe - nwy
        rus: F bar S A swe - nwy
        fra: F nwg - nwy
        fra: F nth S F nwg - nwy
        """,
        "nwy=succeeds den=succeeds fin=succeeds ska=succeeds swe=fails bar=succeeds nwg=fails nth=succeeds",
        "swe",
        after="eng: A swe\nfra: F nwg",
        empty="nwy",
        note="DATC preference (4.A.7 b): a unit dislodged without a head-to-head battle still bounces a "
        "third unit in the attacker's territory; the Norwegian Sea fails.",
    ),
    case(
        "6.G.11",
        "A CONVOY TO AN ADJACENT PROVINCE WITH A PARADOX",
        """
        eng: F nwy S F nth - ska
        eng: F nth - ska
        rus: A swe - nwy
        rus: F ska C A swe - nwy
        rus: F bar S A swe - nwy
        """,
        "nwy=succeeds nth=succeeds swe=fails ska=fails",
        "ska",
        after="eng: F ska\neng: F nwy\nrus: A swe",
        note="DATC preference: no fallback to land, so this is the simple convoy paradox: Norway's support "
        "is not cut, the Skagerrak is dislodged and Sweden does not move.",
    ),
    case(
        "6.G.12",
        "SWAPPING TWO UNITS WITH TWO CONVOYS",
        """
        eng: A lvp - edi via convoy
        eng: F nao C A lvp - edi
        eng: F nwg C A lvp - edi
        ger: A edi - lvp via convoy
        ger: F nth C A edi - lvp
        ger: F eng C A edi - lvp
        ger: F iri C A edi - lvp
        """,
        "lvp=succeeds nao=succeeds nwg=succeeds edi=succeeds nth=succeeds eng=succeeds iri=succeeds",
        after="eng: A edi\nger: A lvp",
    ),
    case(
        "6.G.13",
        "SUPPORT CUT ON ATTACK ON ITSELF VIA CONVOY",
        """
        aus: F adr C A tri - ven
        aus: A tri - ven via convoy
        ita: A ven S F alb - tri
        ita: F alb - tri
        """,
        "adr=succeeds tri=fails ven=succeeds alb=succeeds",
        "tri",
        after="ita: F tri\nita: A ven",
        note="DATC preference (4.A.4 a): the convoyed attack comes from Trieste and does not cut the "
        "support for the attack on Trieste.",
    ),
    case(
        "6.G.14",
        "BOUNCE BY CONVOY TO ADJACENT PROVINCE",
        """
        eng: A nwy - swe
        eng: F den S A nwy - swe
        eng: F fin S A nwy - swe
        fra: F nwg - nwy
        fra: F nth S F nwg - nwy
        ger: F ska C A swe - nwy
        rus: A swe - nwy via convoy
        rus: F bar S A swe - nwy
        """,
        "nwy=succeeds nwg=fails ska=succeeds swe=fails",
        "swe",
        after="eng: A swe\nfra: F nwg",
        empty="nwy",
        note="DATC preference (4.A.7 b): the Norwegian Sea bounces and stays.",
    ),
    case(
        "6.G.15",
        "BOUNCE AND DISLODGE WITH DOUBLE CONVOY",
        """
        eng: F nth C A lon - bel
        eng: A hol S A lon - bel
        eng: A yor - lon
        eng: A lon - bel via convoy
        fra: F eng C A bel - lon
        fra: A bel - lon via convoy
        """,
        "nth=succeeds hol=succeeds yor=fails lon=succeeds eng=succeeds bel=fails",
        "bel",
        after="eng: A bel\neng: A yor",
        empty="lon",
        note="DATC preference (4.A.7 b): Yorkshire bounces on the dislodged Belgian army and stays.",
    ),
    case(
        "6.G.16",
        "THE TWO UNIT IN ONE AREA BUG, MOVING BY CONVOY",
        """
        eng: A nwy - swe
        eng: A den S A nwy - swe
        eng: F bal S A nwy - swe
        eng: F nth - nwy
        rus: A swe - nwy via convoy
        rus: F ska C A swe - nwy
        rus: F nwg S A swe - nwy
        """,
        "nwy=succeeds nth=fails swe=succeeds ska=succeeds",
        after="eng: A swe\nrus: A nwy\neng: F nth",
    ),
    case(
        "6.G.17",
        "THE TWO UNIT IN ONE AREA BUG, MOVING OVER LAND",
        """
        eng: A nwy - swe via convoy
        eng: A den S A nwy - swe
        eng: F bal S A nwy - swe
        eng: F ska C A nwy - swe
        eng: F nth - nwy
        rus: A swe - nwy
        rus: F nwg S A swe - nwy
        """,
        "nwy=succeeds ska=succeeds nth=fails swe=succeeds",
        after="eng: A swe\nrus: A nwy\neng: F nth",
    ),
    case(
        "6.G.18",
        "THE TWO UNIT IN ONE AREA BUG, WITH DOUBLE CONVOY",
        """
        eng: F nth C A lon - bel
        eng: A hol S A lon - bel
        eng: A yor - lon
        eng: A lon - bel
        eng: A ruh S A lon - bel
        fra: F eng C A bel - lon
        fra: A bel - lon
        fra: A wal S A bel - lon
        """,
        "nth=succeeds yor=fails lon=succeeds eng=succeeds bel=succeeds",
        after="eng: A bel\nfra: A lon\neng: A yor",
        note="London and Belgium are not adjacent, so both moves are convoys without 'via convoy'.",
    ),
    case(
        "6.G.19",
        "SWAPPING WITH INTENT OF UNNECESSARY CONVOY",
        """
        fra: A mar - spa
        fra: F wes C A mar - spa
        ita: F lyo C A mar - spa
        ita: A spa - mar
        """,
        "mar=fails wes=void spa=fails",
        after="fra: A mar\nita: A spa",
        note="The Western Mediterranean is needed for no route from Marseilles to Spain: its convoy is "
        "illegal and shows no intent; the fleet in Lyon is foreign. A head-to-head bounce.",
    ),
    case(
        "6.G.20",
        "EXPLICIT CONVOY TO ADJACENT PROVINCE DISRUPTED",
        """
        fra: F bre - eng
        fra: A pic - bel via convoy
        fra: A bur S A pic - bel
        fra: F mao S F bre - eng
        eng: F eng C A pic - bel
        """,
        "bre=succeeds pic=fails mao=succeeds eng=fails",
        "eng",
        after="fra: A pic\nfra: F eng",
        empty="bel",
        note="DATC v3 preference: no fallback to the land route; the move of Picardy fails.",
    ),
    # ------------------------------------------------------------------ 6.H retreating
    case(
        "6.H.1",
        "NO SUPPORTS DURING RETREAT",
        """
        aus: F tri H
        aus: A ser H
        tur: F gre H
        ita: A ven S A tyr - tri
        ita: A tyr - tri
        ita: F ion - gre
        ita: F aeg S F ion - gre
        """,
        "tri=fails ser=succeeds gre=fails tyr=succeeds ion=succeeds",
        "tri gre",
        retreats="""
        aus: F tri - alb
        aus: A ser S F tri - alb
        tur: F gre - alb
        """,
        retreat_results="tri=fails ser=void gre=fails",
        after="aus: A ser\nita: A tri\nita: F gre",
        empty="alb",
    ),
    case(
        "6.H.2",
        "NO SUPPORTS FROM RETREATING UNIT",
        """
        eng: A lvp - edi
        eng: F yor S A lvp - edi
        eng: F nwy H
        ger: A kie S A ruh - hol
        ger: A ruh - hol
        rus: F edi H
        rus: A swe S A fin - nwy
        rus: A fin - nwy
        rus: F hol H
        """,
        "lvp=succeeds ruh=succeeds fin=succeeds nwy=fails edi=fails hol=fails",
        "nwy edi hol",
        retreats="""
        eng: F nwy - nth
        rus: F edi - nth
        rus: F hol S F edi - nth
        """,
        retreat_results="nwy=fails edi=fails hol=void",
        after="eng: A edi\nger: A hol\nrus: A nwy",
        empty="nth",
    ),
    case(
        "6.H.3",
        "NO CONVOY DURING RETREAT",
        """
        eng: F nth H
        eng: A hol H
        ger: F kie S A ruh - hol
        ger: A ruh - hol
        """,
        "hol=fails ruh=succeeds",
        "hol",
        retreats="""
        eng: A hol - yor
        eng: F nth C A hol - yor
        """,
        retreat_results="hol=void nth=void",
        after="ger: A hol\neng: F nth",
        empty="yor",
    ),
    case(
        "6.H.4",
        "NO OTHER MOVES DURING RETREAT",
        """
        eng: F nth H
        eng: A hol H
        ger: F kie S A ruh - hol
        ger: A ruh - hol
        """,
        "hol=fails ruh=succeeds",
        "hol",
        retreats="""
        eng: A hol - bel
        eng: F nth - nwg
        """,
        retreat_results="hol=succeeds nth=void",
        after="eng: A bel\neng: F nth\nger: A hol",
        empty="nwg",
    ),
    case(
        "6.H.5",
        "A UNIT MAY NOT RETREAT TO THE AREA FROM WHICH IT IS ATTACKED",
        """
        rus: F con S F bla - ank
        rus: F bla - ank
        tur: F ank H
        """,
        "bla=succeeds ank=fails",
        "ank",
        retreats="""
        tur: F ank - bla
        """,
        retreat_results="ank=void",
        after="rus: F ank",
        empty="bla",
        note="DATC gives no retreat order; we add the illegal retreat to the Black Sea.",
    ),
    case(
        "6.H.6",
        "UNIT MAY NOT RETREAT TO A CONTESTED AREA",
        """
        aus: A bud S A tri - vie
        aus: A tri - vie
        ger: A mun - boh
        ger: A sil - boh
        ita: A vie H
        """,
        "tri=succeeds mun=fails sil=fails vie=fails",
        "vie",
        retreats="""
        ita: A vie - boh
        """,
        retreat_results="vie=void",
        after="aus: A vie",
        empty="boh",
    ),
    case(
        "6.H.7",
        "MULTIPLE RETREAT TO SAME AREA WILL DISBAND UNITS",
        """
        aus: A bud S A tri - vie
        aus: A tri - vie
        ger: A mun S A sil - boh
        ger: A sil - boh
        ita: A vie H
        ita: A boh H
        """,
        "tri=succeeds sil=succeeds vie=fails boh=fails",
        "vie boh",
        retreats="""
        ita: A boh - tyr
        ita: A vie - tyr
        """,
        retreat_results="boh=fails vie=fails",
        after="aus: A vie\nger: A boh",
        empty="tyr",
    ),
    case(
        "6.H.8",
        "TRIPLE RETREAT TO SAME AREA WILL DISBAND UNITS",
        """
        eng: A lvp - edi
        eng: F yor S A lvp - edi
        eng: F nwy H
        ger: A kie S A ruh - hol
        ger: A ruh - hol
        rus: F edi H
        rus: A swe S A fin - nwy
        rus: A fin - nwy
        rus: F hol H
        """,
        "lvp=succeeds ruh=succeeds fin=succeeds nwy=fails edi=fails hol=fails",
        "nwy edi hol",
        retreats="""
        eng: F nwy - nth
        rus: F edi - nth
        rus: F hol - nth
        """,
        retreat_results="nwy=fails edi=fails hol=fails",
        after="eng: A edi\nger: A hol\nrus: A nwy",
        empty="nth",
    ),
    case(
        "6.H.9",
        "DISLODGED UNIT WILL NOT MAKE ATTACKERS AREA CONTESTED",
        """
        eng: F hel - kie
        eng: F den S F hel - kie
        ger: A ber - pru
        ger: F kie H
        ger: A sil S A ber - pru
        rus: A pru - ber
        """,
        "hel=succeeds ber=succeeds kie=fails pru=fails",
        "kie pru",
        retreats="""
        ger: F kie - ber
        """,
        retreat_results="kie=succeeds",
        after="ger: F ber\neng: F kie\nger: A pru",
    ),
    case(
        "6.H.10",
        "NOT RETREATING TO ATTACKER DOES NOT MEAN CONTESTED",
        """
        eng: A kie H
        ger: A ber - kie
        ger: A mun S A ber - kie
        ger: A pru H
        rus: A war - pru
        rus: A sil S A war - pru
        """,
        "kie=fails ber=succeeds pru=fails war=succeeds",
        "kie pru",
        retreats="""
        eng: A kie - ber
        ger: A pru - ber
        """,
        retreat_results="kie=void pru=succeeds",
        after="ger: A ber\nger: A kie\nrus: A pru",
    ),
    case(
        "6.H.11",
        "RETREAT WHEN DISLODGED BY ADJACENT CONVOY",
        """
        fra: A gas - mar via convoy
        fra: A bur S A gas - mar
        fra: F mao C A gas - mar
        fra: F wes C A gas - mar
        fra: F lyo C A gas - mar
        ita: A mar H
        """,
        "gas=succeeds bur=succeeds mao=succeeds wes=succeeds lyo=succeeds mar=fails",
        "mar",
        retreats="""
        ita: A mar - gas
        """,
        retreat_results="mar=succeeds",
        after="fra: A mar\nita: A gas",
        note="DATC preference (4.A.5 b, 2023 rules): a unit dislodged by a convoyed army may retreat to the "
        "army's starting territory.",
    ),
    case(
        "6.H.12",
        "RETREAT WHEN DISLODGED BY ADJACENT CONVOY WHILE TRYING TO DO THE SAME",
        """
        eng: A lvp - edi via convoy
        eng: F iri C A lvp - edi
        eng: F eng C A lvp - edi
        eng: F nth C A lvp - edi
        fra: F bre - eng
        fra: F mao S F bre - eng
        rus: A edi - lvp via convoy
        rus: F nwg C A edi - lvp
        rus: F nao C A edi - lvp
        rus: A cly S A edi - lvp
        """,
        "lvp=fails eng=fails bre=succeeds edi=succeeds nwg=succeeds nao=succeeds cly=succeeds",
        "lvp eng",
        retreats="""
        eng: A lvp - edi
        """,
        retreat_results="lvp=succeeds",
        after="eng: A edi\nrus: A lvp\nfra: F eng",
        note="DATC preference (4.A.5 b): Liverpool may retreat to Edinburgh. The English fleet in the "
        "Channel gets no retreat order and is disbanded.",
    ),
    case(
        "6.H.13",
        "NO RETREAT WITH CONVOY IN MOVEMENT PHASE",
        """
        eng: A pic H
        eng: F eng C A pic - lon
        fra: A par - pic
        fra: A bre S A par - pic
        """,
        "pic=fails eng=void par=succeeds bre=succeeds",
        "pic",
        retreats="""
        eng: A pic - lon
        """,
        retreat_results="pic=void",
        after="fra: A pic\neng: F eng",
        empty="lon",
    ),
    case(
        "6.H.14",
        "NO RETREAT WITH SUPPORT IN MOVEMENT PHASE",
        """
        eng: A pic H
        eng: F eng S A pic - bel
        fra: A par - pic
        fra: A bre S A par - pic
        fra: A bur H
        ger: A mun S A mar - bur
        ger: A mar - bur
        """,
        "pic=fails eng=void par=succeeds bur=fails mar=succeeds",
        "pic bur",
        retreats="""
        eng: A pic - bel
        fra: A bur - bel
        """,
        retreat_results="pic=fails bur=fails",
        after="fra: A pic\nger: A bur",
        empty="bel",
    ),
    case(
        "6.H.15",
        "NO COASTAL CRAWL IN RETREAT",
        """
        eng: F por H
        fra: F spa/sc - por
        fra: F mao S F spa/sc - por
        """,
        "por=fails spa=succeeds mao=succeeds",
        "por",
        retreats="""
        eng: F por - spa/nc
        """,
        retreat_results="por=void",
        after="fra: F por",
        empty="spa",
    ),
    case(
        "6.H.16",
        "CONTESTED FOR BOTH COASTS",
        """
        fra: F mao - spa/nc
        fra: F gas - spa/nc
        fra: F wes H
        ita: F tun S F tys - wes
        ita: F tys - wes
        """,
        "mao=fails gas=fails wes=fails tys=succeeds",
        "wes",
        retreats="""
        fra: F wes - spa/sc
        """,
        retreat_results="wes=void",
        after="ita: F wes\nfra: F mao\nfra: F gas",
        empty="spa",
    ),
]
