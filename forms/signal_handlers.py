"""Thin signal handlers; the work is done by named functions elsewhere."""


def register():
    from .clock import connect_override_signals

    connect_override_signals()
