"""The canonical content of a chained row: stable JSON that the writer hashes and the verifier
recomputes from the row as stored.

Keys sorted; no spaces; text as UTF-8; Decimal as a string with the column's decimal places;
datetimes in UTC (`2026-12-07T02:00:00.000000Z`); dates ISO; JSON columns nested and sorted;
the table name and the primary key beside the row's columns.
"""

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from functools import cache

from django.db import models

Normaliser = Callable[[object], object]
INTEGERS = (models.IntegerField, models.AutoField, models.BigAutoField, models.SmallAutoField)


def _text(value):
    return str(value)


def _integer(value):
    return int(value)


def _boolean(value):
    return bool(value)


def _float(value):
    return float(value)


def _date(value):
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return value.isoformat()


def _datetime(value):
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    if value.tzinfo is None:  # stored without a zone: the database's UTC
        value = value.replace(tzinfo=dt.UTC)
    utc = value.astimezone(dt.UTC)
    if utc.year < 1000:  # isoformat pads the year to four digits, strftime does not
        return utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    # the same text as strftime("%Y-%m-%dT%H:%M:%S.%fZ"), in a third of the time
    return utc.replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _file(value):
    return str(getattr(value, "name", value) or "")


def _binary(value):
    return bytes(value).hex()


def _duration(value):
    return value // dt.timedelta(microseconds=1)


def _decimal(places: int | None) -> Normaliser:
    def normalise(value):
        number = value if isinstance(value, Decimal) else Decimal(str(value))
        if places is not None:
            number = number.quantize(Decimal(1).scaleb(-places))
        return format(number, "f")

    return normalise


def _json(encoder) -> Normaliser:
    def normalise(value):
        if isinstance(value, str | bytes) and encoder is None:
            # A JSON column read back as text (an old driver): parse it once.
            try:
                return json.loads(value)
            except ValueError:
                return value
        return json.loads(json.dumps(value, cls=encoder))

    return normalise


def _as_read(value):
    return value


def normaliser_for(field: models.Field, *, from_db: bool = False) -> Normaliser:
    """How one column's value is written in the canonical content. `from_db`: the value was
    just read from the database (a JSON column is already plain JSON: no round trip)."""
    if field.is_relation:
        return normaliser_for(field.target_field, from_db=from_db)
    if from_db and isinstance(field, models.JSONField) and field.decoder is None:
        return _as_read
    if isinstance(field, models.DateTimeField):
        return _datetime
    if isinstance(field, models.DateField):
        return _date
    if isinstance(field, models.DecimalField):
        return _decimal(field.decimal_places)
    if isinstance(field, models.JSONField):
        return _json(field.encoder)
    if isinstance(field, models.BooleanField):
        return _boolean
    if isinstance(field, models.FloatField):
        return _float
    if isinstance(field, INTEGERS):
        return _integer
    if isinstance(field, models.FileField):
        return _file
    if isinstance(field, models.BinaryField):
        return _binary
    if isinstance(field, models.DurationField):
        return _duration
    return _text


@cache
def columns(
    model: type[models.Model], unhashed: frozenset[str] = frozenset(), *, from_db: bool = False
):
    """(attname, normaliser) of each hashed column of the model, in a fixed order."""
    return tuple(
        (field.attname, normaliser_for(field, from_db=from_db))
        for field in model._meta.concrete_fields
        if field.name not in unhashed and field.attname not in unhashed
    )


def row_values(cols, values) -> dict:
    """The canonical value of each column, from the values in `cols` order."""
    return {
        attname: None if value is None else normalise(value)
        for (attname, normalise), value in zip(cols, values, strict=True)
    }


# One encoder for every row (json.dumps would build it anew each call).
_CANONICAL = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
)


def content_text(table: str, pk, row: dict) -> str:
    return _CANONICAL.encode({"pk": str(pk), "row": row, "table": table})


def instance_content(table: str, instance: models.Model, unhashed=frozenset()) -> str:
    cols = columns(type(instance), unhashed)
    values = [getattr(instance, attname) for attname, _n in cols]
    return content_text(table, instance.pk, row_values(cols, values))
