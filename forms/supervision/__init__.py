"""Supervision (电子监察): the admin board, the public figures (办件公示), complaints and
suggestions (投诉建议). The figures themselves are computed in ``forms.statistics``.

Wagtail hooks live in ``forms.supervision.hooks`` (imported by ``forms.wagtail_hooks``); the
public URLs in ``forms.supervision.urls``; the statistics API in ``forms.supervision_api``.
See docs/supervision.md.
"""
