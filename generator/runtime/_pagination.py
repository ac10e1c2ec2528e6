"""Cursor pagination: lazy iterators over items and pages, sync and async."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from typing import Generic, TypeVar, cast

import pydantic

from ._config import Pagination
from ._models import validate_as

__all__ = ["AsyncPage", "SyncPage", "next_query", "page_items"]

I = TypeVar("I")  # noqa: E741 - the item type, as in Stainless' pagination
P = TypeVar("P")  # the page type: the model one request returns

Query = dict[str, object]


def page_field(page: object, wire_name: str) -> object | None:
    """A field of a page model (by alias or attribute name) or of a dict page."""
    if isinstance(page, Mapping):
        return cast(object, page.get(wire_name))
    if isinstance(page, pydantic.BaseModel):
        for name, info in type(page).model_fields.items():
            if wire_name in (info.alias, name):
                return cast(object, getattr(page, name))
        return (page.model_extra or {}).get(wire_name)
    return getattr(page, wire_name, None)


def page_items(pagination: Pagination, page: object, item_type: type[I]) -> list[I]:
    raw = page_field(page, pagination.items)
    if raw is None:
        return []
    return validate_as(list[item_type], raw)  # type: ignore[valid-type]


def next_query(pagination: Pagination, page: object, query: Query) -> Query | None:
    """The query of the following page, or None when this page is the last one."""
    if pagination.has_more is not None and page_field(page, pagination.has_more) is False:
        return None
    if not page_field(page, pagination.items):
        return None  # an empty page ends the listing
    cursor = {param: page_field(page, field) for param, field in pagination.cursor.items()}
    if not cursor or any(value is None for value in cursor.values()):
        return None
    if all(query.get(param) == value for param, value in cursor.items()):
        return None  # the cursor did not move: stop instead of looping forever
    return {**query, **cursor}


class SyncPage(Generic[I, P]):
    """Iterates items (``I``) across pages (``P``); a page is fetched only when the previous
    one is used up."""

    def __init__(
        self,
        fetch: Callable[[Query], P],
        *,
        item_type: type[I],
        pagination: Pagination,
        query: Query,
    ) -> None:
        self._fetch = fetch
        self._item_type = item_type
        self._pagination = pagination
        self._query = query

    def __iter__(self) -> Iterator[I]:
        for page in self.iter_pages():
            yield from page_items(self._pagination, page, self._item_type)

    def iter_pages(self) -> Iterator[P]:
        """The pages, one request each (what the method's ``_page`` variant returns)."""
        query: Query | None = self._query
        while query is not None:
            page = self._fetch(query)
            yield page
            query = next_query(self._pagination, page, query)

    def first_page(self) -> P:
        return self._fetch(self._query)


class AsyncPage(Generic[I, P]):
    """``async for`` over items (``I``) across pages (``P``), fetched lazily."""

    def __init__(
        self,
        fetch: Callable[[Query], Awaitable[P]],
        *,
        item_type: type[I],
        pagination: Pagination,
        query: Query,
    ) -> None:
        self._fetch = fetch
        self._item_type = item_type
        self._pagination = pagination
        self._query = query

    async def __aiter__(self) -> AsyncIterator[I]:
        async for page in self.iter_pages():
            for item in page_items(self._pagination, page, self._item_type):
                yield item

    async def iter_pages(self) -> AsyncIterator[P]:
        """The pages, one request each (what the method's ``_page`` variant returns)."""
        query: Query | None = self._query
        while query is not None:
            page = await self._fetch(query)
            yield page
            query = next_query(self._pagination, page, query)

    async def first_page(self) -> P:
        return await self._fetch(self._query)
