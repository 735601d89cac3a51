"""Specific errors, so callers can react precisely (as python-chess does).

Each is a ValueError: bad input, never a crash.  Raising one means nothing changed.
"""

from __future__ import annotations


class RulesError(ValueError):
    """Base of every error the rules raise for bad input."""


class OrderSyntaxError(RulesError):
    """An order that does not follow the notation."""


class CommandError(RulesError):
    """A command that cannot be applied now (wrong phase, wrong state, unknown unit...)."""
