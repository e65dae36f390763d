"""Thin signal handlers; the work is done by named, tested functions elsewhere."""


def register():
    pass
