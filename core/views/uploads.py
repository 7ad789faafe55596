"""What 上传记录 shows: every upload and one upload's details, from core.queries.uploads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from core.accounts.limits import NO_LIMITS, Limits, within_limits
from core.accounts.users import institution_registry
from core.formatting import local_time_text
from core.forms import DATA_FORMS, FORMS
from core.queries import uploads as queries
from core.scope import Scope

SHORT_SHA = 12
STATUS_LABELS = {"accepted": "已导入", "reverted": "已撤销"}
UPLOAD_TIME = "上传时间（北京时间）"  # the header of an upload's time wherever uploads are listed
FILE_HASH = "SHA-256（前 12 位）"  # for administrators comparing files: in the CSV, not on screen

UPLOAD_COLUMNS = {
    "id": "编号",
    "created_at": UPLOAD_TIME,
    "uploader": "上传人",
    "file_name": "文件名",
    "sha256": FILE_HASH,
    "form": "报表",
    "rows": "行数",
    "inserted": "新增",
    "updated": "更新",
    "unchanged": "未变",
    "status": "状态",
    "warning_count": "警告数",
}


def form_title(form: str) -> str:
    if form in DATA_FORMS:  # a form declared as data (core.formdefs)
        return DATA_FORMS[form].title
    return FORMS[form].title if form in FORMS else form


def status_title(status: str) -> str:
    """An upload's status in Chinese: 已导入 / 已撤销."""
    return STATUS_LABELS.get(status, status)


def visible_uploads(engine: Engine, scope: Scope, limits: Limits) -> set[int] | None:
    """The uploads a user of ``limits`` may see: those that wrote only institutions inside them
    (None: every upload, for a user without limits)."""
    if limits == NO_LIMITS:
        return None
    registry = institution_registry(engine)
    return {
        upload_id
        for upload_id, codes in queries.upload_codes(engine, scope).items()
        if within_limits(limits, codes, registry)
    }


def uploads_frame(engine: Engine, scope: Scope, limits: Limits = NO_LIMITS) -> pd.DataFrame:
    """Every upload a user of ``limits`` may see, newest first, with Chinese headers, ready to show
    and to export as CSV."""
    frame = queries.upload_rows(engine, scope)
    visible = visible_uploads(engine, scope, limits)
    if visible is not None:
        frame = frame[frame["id"].isin(visible)].reset_index(drop=True)
    frame["created_at"] = frame["created_at"].map(local_time_text)
    frame["sha256"] = frame["sha256"].str[:SHORT_SHA]
    frame["form"] = frame["form"].map(form_title)
    frame["status"] = frame["status"].map(status_title)
    frame["warning_count"] = frame["warning_count"].astype(int)
    return frame.rename(columns=UPLOAD_COLUMNS)


@dataclass(frozen=True)
class UploadDetail:
    id: int
    created_at: str  # Beijing time text
    uploader: str
    file_name: str
    sha256: str
    form: str
    form_title: str
    rows: int
    inserted: int
    updated: int
    unchanged: int
    status: str  # accepted | reverted
    reverted_at: str
    warnings: pd.DataFrame  # 行, 列, 说明

    @property
    def status_label(self) -> str:
        return status_title(self.status)

    @property
    def revertible(self) -> bool:
        return self.status == "accepted"


def _warnings_table(warnings: list[dict[str, Any]] | None) -> pd.DataFrame:
    records = [
        {
            "行": warning.get("row"),
            "列": warning.get("column") or "",
            "说明": warning.get("message") or "",
        }
        for warning in warnings or []
    ]
    frame = pd.DataFrame(records, columns=["行", "列", "说明"])
    frame["行"] = frame["行"].astype("Int64")
    return frame


def upload_detail(
    engine: Engine, scope: Scope, upload_id: int, limits: Limits = NO_LIMITS
) -> UploadDetail | None:
    """One upload with its stored warnings; None when there is no such upload, or it wrote rows
    outside ``limits``."""
    row = queries.upload_row(engine, scope, upload_id)
    visible = visible_uploads(engine, scope, limits)
    if row is None or (visible is not None and upload_id not in visible):
        return None
    return UploadDetail(
        id=row["id"],
        created_at=local_time_text(row["created_at"]),
        uploader=row["uploader"],
        file_name=row["file_name"],
        sha256=row["sha256"],
        form=row["form"],
        form_title=form_title(row["form"]),
        rows=row["rows"],
        inserted=row["inserted"],
        updated=row["updated"],
        unchanged=row["unchanged"],
        status=row["status"],
        reverted_at=local_time_text(row["reverted_at"]),
        warnings=_warnings_table(row["warnings"]),
    )
