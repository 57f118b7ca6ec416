# Each marked line is a mistake the generated Python types must catch: `mypy --strict`
# reports exactly one error per `# error` line.
from decimal import Decimal

from rows import EverythingInsert, EverythingRow

missing_required: EverythingInsert = {"small": 1, "name": "x", "mood": "happy"}  # error
bad_label: EverythingInsert = {"small": 1, "name": "x", "mood": "sad", "amount": Decimal(1)}  # error
generated_column: EverythingInsert = {"small": 1, "name": "x", "mood": "happy", "amount": Decimal(1), "total": Decimal(2)}  # error


def nullable_unchecked(row: EverythingRow) -> int:
    return row["regular"]  # error


def wrong_type(row: EverythingRow) -> str:
    return row["small"]  # error
