"""A queryset compiled to SQL once and run again with fresh parameters.

Why: on a reader page, compiling the ORM's querysets cost more than running them (half of the
ORM's time on a feed page). The hottest reads of the reader fast path (`public.fast`) are
written as ordinary querysets, where the rules of what the public may see live
(`stories.queries`), compiled once per process, and run with a plain cursor; the database's
converters are applied to each row as the ORM would (aware datetimes, booleans).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

# Stands for the one value a prepared read is asked with (a slug): the queryset is built with it
# and each run swaps in the real value.
PARAMETER = "\x00parameter\x00"


class PreparedRead:
    def __init__(self, make: Callable[[], QuerySet]) -> None:
        self._make = make
        self._compiled = None

    def _compile(self):
        if self._compiled is None:
            compiler = self._make().query.get_compiler(DEFAULT_DB_ALIAS)
            sql, params = compiler.as_sql()
            columns = [column for column, _, _ in compiler.select[: compiler.col_count]]
            self._compiled = compiler, sql, tuple(params), compiler.get_converters(columns)
        return self._compiled

    def rows(self, value: object = None) -> list[tuple]:
        compiler, sql, params, converters = self._compile()
        params = tuple(value if param == PARAMETER else param for param in params)
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        return list(compiler.apply_converters(rows, converters)) if converters else rows
