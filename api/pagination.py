"""Pages of a list: `?pagina=2`, 50 rows a page, the same size as the screens' lists.

{"aantal": 120, "pagina": 2, "paginas": 3, "vorige": "…", "volgende": "…", "resultaten": [...]}
"""

from typing import Any

from django.core.paginator import Page
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from workflow.selectors import CASE_PAGE_SIZE

PAGE_PARAM = "pagina"


def page_response(request: Request, page: Page, results: list[Any]) -> Response:
    """The one shape of a page, also for lists a selector pages itself (the case list)."""
    url = request.build_absolute_uri()

    def link(number: int | None) -> str | None:
        if number is None:
            return None
        if number == 1:
            return remove_query_param(url, PAGE_PARAM)
        return replace_query_param(url, PAGE_PARAM, number)

    return Response(
        {
            "aantal": page.paginator.count,
            "pagina": page.number,
            "paginas": page.paginator.num_pages,
            "vorige": link(page.previous_page_number() if page.has_previous() else None),
            "volgende": link(page.next_page_number() if page.has_next() else None),
            "resultaten": results,
        }
    )


def page_schema(results: dict) -> dict:
    """The OpenAPI schema of a page holding `results` (the schema of a list)."""
    link = {"type": "string", "format": "uri", "nullable": True}
    return {
        "type": "object",
        "required": ["aantal", "pagina", "paginas", "vorige", "volgende", "resultaten"],
        "properties": {
            "aantal": {"type": "integer", "description": "Aantal rijen over alle pagina's."},
            "pagina": {"type": "integer"},
            "paginas": {"type": "integer"},
            "vorige": link,
            "volgende": link,
            "resultaten": results,
        },
    }


class Pagination(PageNumberPagination):
    page_size = CASE_PAGE_SIZE
    page_query_param = PAGE_PARAM

    def paginate_queryset(self, queryset, request, view=None):
        # An out-of-range or unreadable page number gives the nearest page, as on the
        # screens (Paginator.get_page), not a 404.
        self.request = request
        self.page = self.django_paginator_class(queryset, self.page_size).get_page(
            request.query_params.get(self.page_query_param, 1)
        )
        return list(self.page)

    def get_paginated_response(self, data) -> Response:
        return page_response(self.request, self.page, data)

    def get_paginated_response_schema(self, schema: dict) -> dict:
        return page_schema(schema)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        return [
            {
                "name": PAGE_PARAM,
                "required": False,
                "in": "query",
                "description": "Paginanummer (vanaf 1).",
                "schema": {"type": "integer"},
            }
        ]
