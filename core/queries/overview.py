"""The 总览 reads of its own: institutions per province (the other figures are each area's)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import func, select

from core.models import Institution
from core.queries.base import Bind, apply_scope, read_frame
from core.scope import Scope


def institutions_by_province(bind: Bind, scope: Scope) -> pd.DataFrame:
    """``province`` and ``institutions`` (in 高校名录) of every province in ``scope``."""
    statement = apply_scope(
        select(Institution.province, func.count().label("institutions")).group_by(Institution.province), scope
    )
    return read_frame(bind, statement)
