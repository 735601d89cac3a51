"""The diplomacy side of the client: messages, agreements, intelligence, my objectives, the
drafting window and the turn report.

Each panel is built as ``XPanel(manager, rect, state, send, *, container=None)`` over a
`ClientState` (game/client/state.py) and a `send` that queues a protocol message; it reads
only the view the server sent, and acts only through `act` messages (docs/protocol.md).
"""

from game.client.panels.agreements import AgreementsPanel
from game.client.panels.breach import BreachWindow
from game.client.panels.draft import AgreementDraftWindow
from game.client.panels.intel import IntelPanel
from game.client.panels.messages import MessagesPanel
from game.client.panels.names import Names
from game.client.panels.objectives import ObjectivesPanel
from game.client.panels.report import TurnReportWindow, report_html

IntelligencePanel = IntelPanel
"""The name the game screen's "News" tab looks for."""

__all__ = [
    "AgreementDraftWindow",
    "AgreementsPanel",
    "BreachWindow",
    "IntelPanel",
    "IntelligencePanel",
    "MessagesPanel",
    "Names",
    "ObjectivesPanel",
    "TurnReportWindow",
    "report_html",
]
