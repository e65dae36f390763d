"""The demo county (广安区, 511602), built from the real codes and catalog plus demo text.

``guides.demo.loader.load_demo`` is the entry point (``manage.py load_demo``); see docs/demo.md.
Everything is found by its natural key, so loading twice creates nothing new.
"""
