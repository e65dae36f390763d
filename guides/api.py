"""JSON API for places, the catalog and guides (issue: publishing core)."""

from ninja import Router

router = Router()
