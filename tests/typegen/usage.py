# Uses the generated Python row types as a host application would; `mypy --strict` must
# accept every line.
import datetime
from decimal import Decimal

from rows import AwkwardNamesRow, EverythingInsert, EverythingRow, OrderStatus, TypegenMood

new_row: EverythingInsert = {
    "small": 1,
    "name": "widget",
    "mood": "it's \"complicated\"",
    "amount": Decimal("12.50"),
    "data": {"nested": [1, 2.5, "x", None, {"deep": True}]},
    "stamps": [datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)],
}


def describe(row: EverythingRow) -> str:
    mood: TypegenMood = row["mood"]
    tags: list[str] = row["tags"]
    regular: int = row["regular"] or 0
    return f"{row['name']} {mood} {tags} {regular} {row['created_at'].isoformat()}"


def status_of(row: AwkwardNamesRow) -> OrderStatus | None:
    return row["status"] if row["with space"] > 0 else None
