"""Regenerate the field tables of docs/scenario-format.md from the scenario model.

    python docs/gen_scenario_fields.py          # rewrite the tables in place
    python docs/gen_scenario_fields.py --check  # exit 1 if they are out of date

The tables sit between the markers ``<!-- fields:start -->`` and ``<!-- fields:end -->``;
everything else in the page is written by hand.  tests/test_scenario_loader.py checks
that the page is current.
"""

from __future__ import annotations

import sys
from pathlib import Path

from game.scenario.schema import fields_markdown

DOC = Path(__file__).resolve().parent / "scenario-format.md"
START, END = "<!-- fields:start -->\n", "<!-- fields:end -->"


def main(argv: list[str]) -> int:
    text = DOC.read_text(encoding="utf-8")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    updated = head + START + fields_markdown() + END + tail
    if "--check" in argv:
        if updated != text:
            print(f"{DOC} is out of date: run python docs/gen_scenario_fields.py", file=sys.stderr)
            return 1
        return 0
    if updated != text:
        DOC.write_text(updated, encoding="utf-8")
        print(f"updated {DOC}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
