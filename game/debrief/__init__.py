"""The debrief: after a game, every audience opens.

`backchannel report` turns a game's record into one self-contained HTML file (the story turn
by turn with a map per turn, every agreement's life, the messages with their senders'
sincere/deceptive marks, charts of supply, trust and legitimacy, scores and objectives, who
knew what when) and a grade sheet (CSV) per student and per state.  The game is rebuilt by
replaying its commands through the rules; this package reads plain records and never the
server (the command line reads a server's store and hands the log over as plain entries).
"""

from game.debrief.grades import grades_csv
from game.debrief.report import Report, build_report, render_html, report_from_record
from game.debrief.source import (
    DebriefError,
    DebriefSource,
    load_record_file,
    record_from_log,
    source_from_record,
)

__all__ = [
    "DebriefError",
    "DebriefSource",
    "Report",
    "build_report",
    "grades_csv",
    "load_record_file",
    "record_from_log",
    "render_html",
    "report_from_record",
    "source_from_record",
]
