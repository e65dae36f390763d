"""The JSON API (django-ninja), mounted at /api/v1/ with its OpenAPI schema at /api/v1/openapi.json."""

from ninja import NinjaAPI
from ninja.renderers import JSONRenderer


class UnicodeJSONRenderer(JSONRenderer):
    """Chinese stays readable in responses (no \\uXXXX escapes); the body is UTF-8."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="便民服务 API",
    version="1.0.0",
    description="乡镇便民服务中心：乡镇、事项目录、办事指南（六公开）。",
    urls_namespace="api-v1",
    docs_url="/docs",
    renderer=UnicodeJSONRenderer(),
)


def _register_routers():
    from forms.api import router as applications_router
    from forms.supervision_api import router as supervision_router
    from guides.api import router as guides_router
    from search.api import router as search_router

    api.add_router("/", guides_router)
    api.add_router("/", search_router)
    api.add_router("/", applications_router)
    api.add_router("/", supervision_router)


_register_routers()
