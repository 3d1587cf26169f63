"""Reads of the prevention and advice registers, shared by their screens and the API."""

from typing import Any

from django.core.paginator import Page, Paginator

from accounts.models import User
from audit.models import AuditAction
from audit.services import record

REGISTER_PAGE_SIZE = 25


def register_page(user: User, filters, grounds: str, page_number: Any = 1) -> Page:
    """A filtered page of a register (an empty one when the filters are wrong); reading
    it is an audit line, as its free texts may, against the advice, hold a name."""
    items = filters.qs if filters.is_valid() else filters.queryset.none()
    page = Paginator(items, REGISTER_PAGE_SIZE).get_page(page_number)
    record(
        AuditAction.VIEW,
        user=user,
        grounds=grounds,
        detail={"lijst": grounds, "pagina": page.number},
    )
    return page
