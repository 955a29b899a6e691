"""Admin lists in pages: every queue and list shows at most ``PAGE`` rows, with the count and
links to the other pages (a list that stopped at 100 rows hid the rest without a word)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import request
from sqlalchemy import func, select

from directory.extensions import db

PAGE = 100


@dataclass(frozen=True)
class Page:
    """One page of a list: its rows, its number, how many pages and rows there are."""

    items: list
    number: int
    pages: int
    total: int

    def link_values(self, number: int) -> dict:
        """The current page's URL values with another page number."""
        return {**(request.view_args or {}), **request.args.to_dict(), "page": number}


def page_number(total: int, per_page: int = PAGE) -> tuple[int, int]:
    """The ``page`` asked for, kept within the pages there are (a number past the end is the
    last page; anything else, the first)."""
    pages = max(1, -(-total // per_page))
    text = request.args.get("page", "1")
    if not (text.isascii() and text.isdigit()):
        return 1, pages
    number = pages if len(text) > 6 else int(text)
    return min(max(number, 1), pages), pages


def paged(statement, per_page: int = PAGE) -> Page:
    """One page of an ordered SELECT's rows."""
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    number, pages = page_number(total, per_page)
    rows = db.session.scalars(statement.offset((number - 1) * per_page).limit(per_page)).all()
    return Page(list(rows), number, pages, total)


def queue(model, status: str, *order, where=()) -> Page:
    """One page of the rows of ``model`` waiting in ``status``, oldest first by ``order``."""
    return paged(select(model).where(model.status == status, *where).order_by(*order))


def paged_list(items: list, per_page: int = PAGE) -> Page:
    """One page of a list already in memory (the outbox folder, one listing's history)."""
    number, pages = page_number(len(items), per_page)
    start = (number - 1) * per_page
    return Page(items[start : start + per_page], number, pages, len(items))
