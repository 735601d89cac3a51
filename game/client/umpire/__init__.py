"""The umpire's screen: the seats, the controls, the injects, and everything on one page.

The teacher (or whoever holds the umpire's seat) watches the whole game: every state's orders as
given, every agreement with its secret parts, every message, the leak chances, trust and
legitimacy, while the map stays in view.  The umpire acts only through the protocol's umpire
messages (start, pause, resume, extend, resolve, replace, kick, leader, inject, get_record); the
server refuses them from anyone else, so nothing here is a security boundary.
"""

from game.client.umpire.screen import UmpireScreen

__all__ = ["UmpireScreen"]
