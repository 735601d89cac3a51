"""Backchannel."""
