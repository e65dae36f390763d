"""Transparency (政务公开): what reviewers check, what the public sees. See docs/transparency.md.

- ``conf``: the settings (review period, the 20 working days for publishing a change, …).
- ``access``: who sees the board and who may review.
- ``report``: the per-township figures behind the board, its exports and the API.
- ``reviews``: marking a guide reviewed or sending it back (and telling the township).
- ``reminders``: reminders to townships (``manage.py transparency_reminders``).
- ``catalog``: the disclosure catalog (政府信息公开目录) and its index numbers.
- ``history``: the public change history of a guide's disclosures.
- ``publication``: what happens when a guide or notice is published (the signal delegates here).
- ``admin_views``, ``panels``, ``export``: the admin board; ``views``, ``urls``: public pages.
"""
