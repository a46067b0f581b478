"""Page-number pagination shared by the list endpoints (?page=1&page_size=50)."""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet
from ninja import Schema
from pydantic import Field

MAX_PAGE_SIZE = 200


class PageQuery(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.page_size


def page_of(items: QuerySet | Sequence, query: PageQuery) -> dict:
    count = items.count() if isinstance(items, QuerySet) else len(items)
    rows = items[query.offset : query.offset + query.page_size]
    return {"count": count, "page": query.page, "page_size": query.page_size, "results": list(rows)}
