"""A transaction PostgreSQL gave up because of another one (deadlock, serialization failure)
answers the API caller 409 "try again", not 500: the whole-API fuzz test met a deadlock between
two concurrent deletes on PostgreSQL."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from core.api.errors import as_kangyi_error
from core.errors import ConcurrencyError


class _Orig(Exception):
    def __init__(self, sqlstate):
        super().__init__("deadlock detected")
        self.sqlstate = sqlstate


def test_deadlock_and_serialization_failure_are_409_try_again():
    for sqlstate in ("40P01", "40001"):
        error = as_kangyi_error(OperationalError("UPDATE", {}, _Orig(sqlstate)))
        assert isinstance(error, ConcurrencyError) and error.http_status == 409
    other = as_kangyi_error(OperationalError("SELECT", {}, _Orig("08006")), log_unexpected=False)
    assert other.http_status == 500
