"""The launchers: programs that wire the parts together and run them.

A launcher is what a `backchannel` command runs once its arguments are read (game/cli.py):
local play with an embedded server (play), a class game hosted on the network and its handout
(host, handout), the demo that plays a seat through the client (demo), headless games between
bots (simulate) and many of them for a designer's balance sheet (playtest), and the
adjudication sandbox (adjudicate).  A launcher may import every part it wires — the rules, the
scenario files, the protocol, the bots, the render, the client, the debrief, the server — and
the other launchers; no part imports a launcher (only game/cli.py does): the arrows point from
here outward, and what a part needs from a launcher (a scenario reader, a demo driver, local
play) is handed in to it.
"""
