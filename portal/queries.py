"""Querysets compiled once and run many times.

Django compiles a queryset's SQL anew each time it is evaluated. For a page that runs a few small
index lookups, that compiling is most of its time: at 10^6 documents the uncached document page spent
3 ms of its 5 in the SQL compiler, against 0.3 ms in PostgreSQL running what it made. A CompiledValues
query is compiled once per database connection (so once per gunicorn worker) from a values()
queryset built with stand-in arguments; each run swaps the real arguments in, executes the same SQL
(which PostgreSQL, with psycopg's prepared statements, then plans once as well) and converts the rows
as values() would.

Only for a queryset whose SQL depends on nothing but its arguments and its shape: the public filter
(disclosure.models.PUBLIC) holds no date or setting, so the SQL compiled at the start of a process
is the SQL Django would compile at any later request. What changes the SQL's text rather than its
parameters (a LIMIT, the columns read, whether a cursor is given) is the shape: keyword arguments,
each set of them compiled on its own."""

import datetime
import re

from django.db import DEFAULT_DB_ALIAS, connections
from psycopg.sql import Literal

# Stand-ins for the arguments, so that the compiled parameters say where each argument goes: ids no row
# has, inside every database's integer range (PostgreSQL's integer is 32-bit), and dates no row has.
_STAND_INS = tuple(-2_000_000_000 - position for position in range(8))
_DATE_STAND_INS = tuple(datetime.date(1001 + position, 1, 1) for position in range(8))
# Shapes can come from a request (a page size): a bound on what a connection keeps all the same.
MAX_COMPILED = 500


class CompiledValues:
    """`build(*arguments, **shape)` returns a values() queryset; calling the CompiledValues with the
    arguments (integers: ids; or dates) and the shape returns its rows as values() would, as a list
    of dicts. An id beyond any integer column's range finds nothing, as Django's own lookups do for
    `pk=` (it is never sent to the database)."""

    def __init__(self, build):
        self.build = build

    def __call__(self, *arguments, **shape):
        connection = connections[DEFAULT_DB_ALIAS]
        low, high = connection.ops.integer_field_range("BigIntegerField")
        dates = tuple(isinstance(argument, datetime.date) for argument in arguments)
        if not all(is_date or low <= argument <= high for argument, is_date in zip(arguments, dates)):
            return []
        compiled = connection.__dict__.setdefault("compiled_values", {})
        key = (self, dates, tuple(sorted(shape.items())))
        if key in compiled:
            sql, params, names, converters = compiled[key]
        else:
            sql, params, names, converters = made = self._compile(connection, dates, shape)
            if len(compiled) < MAX_COMPILED:
                compiled[key] = made
        values = [connection.ops.adapt_datefield_value(argument) if is_date else argument for argument, is_date in zip(arguments, dates)]
        params = [values[slot] if slot is not None else value for slot, value in params]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = [list(row) for row in rows]
            for row in rows:
                for position, functions, expression in converters:
                    for convert in functions:
                        row[position] = convert(row[position], expression, connection)
        return [dict(zip(names, row)) for row in rows]

    def _compile(self, connection, dates, shape):
        stand_ins = [_DATE_STAND_INS[position] if is_date else _STAND_INS[position] for position, is_date in enumerate(dates)]
        queryset = self.build(*stand_ins, **shape)
        query = queryset.query
        compiler = query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        # As the backend sends them: SQLite's has made dates text by now, PostgreSQL's keeps them dates.
        sent = [connection.ops.adapt_datefield_value(value) if is_date else value for value, is_date in zip(stand_ins, dates)]
        slots = [(sent.index(value) if value in sent else None, value) for value in params]
        missing = set(range(len(stand_ins))) - {slot for slot, _ in slots}
        if missing:
            raise ValueError(f"arguments {sorted(missing)} are not in the compiled query")
        # A date or time among the constants (today's, a deadline's) would be kept from the first request
        # on. Seen on PostgreSQL, whose parameters stay dates; SQLite's backend has made them text by now.
        if any(isinstance(value, (datetime.date, datetime.time)) for slot, value in slots if slot is None):
            raise ValueError("a date or time in a compiled query would never change: use Now() or an argument")
        if connection.vendor == "postgresql":
            sql, slots = _constants_written_in(connection, sql, slots)
        # The same names, in the same order, as values() gives them (django.db.models.query.ValuesIterable).
        names = list(query.selected) if query.selected else [*query.extra_select, *query.values_select, *query.annotation_select]
        converters = [
            (position, functions, expression)
            for position, (functions, expression) in compiler.get_converters(
                [column for column, _, _ in compiler.select[: compiler.col_count]]
            ).items()
        ]
        return sql, tuple(slots), names, converters


_PLACEHOLDER = re.compile(r"%%|%s")


def _constants_written_in(connection, sql, slots):
    """The SQL with its constants (strings, numbers) written in as literals, its arguments left its only
    parameters. PostgreSQL keeps a prepared statement's generic plan, and stops planning it, only when
    that plan is as good as planning each run; a generic plan cannot use a partial index whose predicate
    a parameter would have to match, as the public documents' indexes' `attribute = 'proactive' AND
    status = 'published'` would. With the public filter's constants as parameters the listing was
    planned on every run (0.16 ms at 10^6 documents, 0.09 with its plan kept)."""
    connection.ensure_connection()
    remaining, kept = iter(slots), []

    def written(match):
        if match.group() == "%%":
            return "%%"
        slot, value = next(remaining)
        if slot is None and isinstance(value, (str, int)):
            return Literal(value).as_string(connection.connection).replace("%", "%%")
        kept.append((slot, value))
        return "%s"

    return _PLACEHOLDER.sub(written, sql), kept
