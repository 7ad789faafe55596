"""What 报送审核 shows: the submissions inside the account's scope and, for one of them, what
approving it would change now, cell by cell (原值 is the value in force), with school names."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Engine

from core.annotate import changes_frame
from core.config import LOCAL_TIME
from core.forms import FORMS, get_form
from core.ingest import institution_names
from core.ingest.report import Plan
from core.review.submissions import ReviewRefused, list_submissions, preview_of
from core.scope import Scope

SUBMISSION_HEADERS = {
    "id": "编号",
    "form": "报表",
    "file": "文件",
    "status": "状态",
    "uploaded_by": "上传账号",
    "uploaded_at": "上传时间",
    "institutions": "涉及学校",
    "decided_by": "审核人",
    "decided_at": "审核时间",
    "comment": "审核意见",
}


def _time_text(moments: pd.Series) -> list[str | None]:
    return [
        moment.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M") if pd.notna(moment) else None
        for moment in moments
    ]


def submissions_table(engine: Engine, scope: Scope, status: str | None = None) -> pd.DataFrame:
    """The submissions whose institutions are all inside ``scope``, newest first, under Chinese
    headers (school names in 涉及学校)."""
    frame = list_submissions(engine, scope, status=status)
    names = institution_names(engine)
    frame = frame.assign(
        form=[FORMS[form].title for form in frame["form"]],
        uploaded_at=_time_text(frame["uploaded_at"]),
        decided_at=_time_text(frame["decided_at"]),
        institutions=["、".join(names.get(code, code) for code in codes) for codes in frame["institutions"]],
    )
    return frame[list(SUBMISSION_HEADERS)].rename(columns=SUBMISSION_HEADERS)


@dataclass(frozen=True)
class SubmissionPreview:
    """One submission: its status and comment, and what approving it would change now."""

    id: int
    form: str
    status: str
    uploader: str
    comment: str | None
    plan: Plan
    changes: pd.DataFrame  # 学校名称, 记录, 列, 原值, 新值


def submission_preview(engine: Engine, scope: Scope, submission_id: int) -> SubmissionPreview:
    """What submission ``submission_id`` would change; ReviewRefused when it is not inside ``scope``."""
    if submission_id not in set(list_submissions(engine, scope)["id"]):
        raise ReviewRefused(f"没有编号为 {submission_id} 的报送，或它不在您的权限范围内")
    submission, preview = preview_of(engine, submission_id)
    plan = preview.plan or Plan()
    form = get_form(submission.form)
    codes = {tuple(row[key] for key in form.key): row.get("code") for row in preview.parsed.rows}
    names = institution_names(engine)
    changes = changes_frame(plan)
    changes.insert(0, "学校名称", [names.get(codes.get(change.key), "") for change in plan.changes])
    return SubmissionPreview(
        submission_id,
        submission.form,
        submission.status,
        submission.uploader,
        submission.comment,
        plan,
        changes,
    )
