"""What 上传记录 shows: every upload and one upload's details, from core.queries.uploads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from core.formatting import local_time_text
from core.forms import FORMS
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
    return FORMS[form].title if form in FORMS else form


def status_title(status: str) -> str:
    """An upload's status in Chinese: 已导入 / 已撤销."""
    return STATUS_LABELS.get(status, status)


def uploads_frame(engine: Engine, scope: Scope) -> pd.DataFrame:
    """Every upload, newest first, with Chinese headers, ready to show and to export as CSV."""
    frame = queries.upload_rows(engine, scope)
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


def upload_detail(engine: Engine, scope: Scope, upload_id: int) -> UploadDetail | None:
    """One upload with its stored warnings; None when there is no such upload."""
    row = queries.upload_row(engine, scope, upload_id)
    if row is None:
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
