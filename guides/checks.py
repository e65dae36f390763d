"""Project invariants as Django system checks (ids guides.E0xx / guides.W0xx)."""
