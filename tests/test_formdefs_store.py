"""Forms declared as data in the database: the shipped sample data loads, uploads are reverted like
every other upload, and 达标率 aggregated in SQL agrees with the per-row 达标情况 of the export."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from core.formdefs.registry import add_definition, load_forms
from core.ingest import import_bytes, revert_upload
from core.models import FormRecord
from core.queries.indicators import compliance_by
from core.scope import Scope
from core.views.indicators import export_frame
from sample_data.generate import generate_dataset, seed_database
from tests.factories import make_institution, store_rows

CLUBS = """\
name = "clubs"
title = "社团情况"
sheet = "社团"
period = "year"

[[field]]
key = "clubs"
header = "社团数"
kind = "count"

[[field]]
key = "advised"
header = "有指导教师的社团数"
kind = "count"

[[indicator]]
key = "rate"
header = "配备率"
expr = "advised / clubs"
format = "percent"
standard = ">= 29"
source = "某文件 第一条"
"""


def _csv(*rows: str) -> bytes:
    return ("学校标识码,学年,社团数,有指导教师的社团数\n" + "\n".join(rows) + "\n").encode("utf-8")


def _values(engine: Engine) -> list[tuple[str, object, object]]:
    frame = export_frame(engine, "clubs", Scope())
    return list(zip(frame["学校标识码"], frame["社团数"], frame["配备率"], strict=True))


def test_uploads_of_a_data_form_are_reverted_newest_first(engine: Engine) -> None:
    store_rows(engine, "institutions", [make_institution(), make_institution(code="4141010002", name="豫二")])
    add_definition(engine, CLUBS)
    first = import_bytes(engine, "clubs", _csv("4141010001,2024-2025,100,29"), "a.csv")
    second = import_bytes(
        engine, "clubs", _csv("4141010001,2024-2025,50,50", "4141010002,2024-2025,10,1"), "b.csv"
    )
    assert (first.accepted, second.accepted) == (True, True)
    assert _values(engine) == [("4141010001", 50, "100.0%"), ("4141010002", 10, "10.0%")]

    result = revert_upload(engine, second.upload_id)

    assert (result.restored, result.deleted) == (1, 1)
    assert _values(engine) == [("4141010001", 100, "29.0%")]
    revert_upload(engine, first.upload_id)
    with engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(FormRecord)).scalar() == 0


def test_compliance_in_sql_agrees_with_the_rows(engine: Engine) -> None:
    store_rows(
        engine,
        "institutions",
        [make_institution(code=f"41410100{index:02d}", name=f"豫{index}") for index in range(1, 5)]
        + [make_institution(code="4132010001", name="苏一", province="江苏省")],
    )
    add_definition(engine, CLUBS)
    rows = ["4141010001,2024-2025,100,29", "4141010002,2024-2025,100,28", "4141010003,2024-2025,0,0"]
    rows += ["4141010004,2024-2025,3,1", "4132010001,2024-2025,7,7"]
    assert import_bytes(engine, "clubs", _csv(*rows), "c.csv").accepted

    rates = compliance_by(engine, load_forms(engine)["clubs"], Scope(), "province")

    # 29/100 meets ">= 29" exactly; 0/0 is not measured; 1/3 = 33.3% meets
    by_province = {row.group: (row.measured, row.met) for row in rates.itertuples()}
    assert by_province == {"河南省": (3, 2), "江苏省": (1, 1)}
    statuses = export_frame(engine, "clubs", Scope())["配备率达标情况"].tolist()
    assert statuses == ["达标", "达标", "未达标", "", "达标"]


def test_the_shipped_sample_data_of_the_built_in_forms_loads(engine: Engine) -> None:
    summary = seed_database(engine, institutions=40, years=2, with_indicator_forms=True)

    expected = generate_dataset(40, 2).indicators
    with engine.connect() as connection:
        stored = dict(
            connection.execute(select(FormRecord.form, func.count()).group_by(FormRecord.form)).all()
        )
    assert stored == {form: len(rows) for form, rows in expected.items()}
    assert f"责任制落实 {len(expected['responsibility'])} 行" in summary
    frame = export_frame(engine, "responsibility", Scope(year="2024-2025"))
    assert set(frame["学习强国注册率达标情况"]) <= {"达标", "未达标"}


def test_the_profile_shows_the_institutions_rows_of_data_forms(engine: Engine) -> None:
    import datetime as dt

    from core.views.profile import institution_profile

    store_rows(engine, "institutions", [make_institution()])
    add_definition(engine, CLUBS)
    report = import_bytes(engine, "clubs", _csv("4141010001,2024-2025,10,9"), "c.csv")

    profile = institution_profile(engine, Scope(), "4141010001", dt.date(2025, 11, 30))

    assert profile.sections()["社团情况"]["配备率"].tolist() == ["90.0%"]
    assert report.upload_id in profile.uploads["上传编号"].tolist()


def test_an_upload_of_a_retired_form_is_not_reverted_until_the_form_is_back(engine: Engine) -> None:
    from core.formdefs.registry import retire_form
    from core.ingest import RevertRefused

    store_rows(engine, "institutions", [make_institution()])
    add_definition(engine, CLUBS)
    report = import_bytes(engine, "clubs", _csv("4141010001,2024-2025,10,9"), "c.csv")
    retire_form(engine, "clubs")

    with pytest.raises(RevertRefused, match="已停用"):
        revert_upload(engine, report.upload_id)
    add_definition(engine, CLUBS)
    assert revert_upload(engine, report.upload_id).deleted == 1


def test_a_replaced_definition_reads_its_new_headers_in_the_same_process(engine: Engine) -> None:
    store_rows(engine, "institutions", [make_institution()])
    add_definition(engine, CLUBS)
    assert import_bytes(engine, "clubs", _csv("4141010001,2024-2025,10,9"), "a.csv").accepted
    add_definition(engine, CLUBS.replace('header = "社团数"', 'header = "学生社团总数"'))

    data = "学校标识码,学年,学生社团总数（个）,有指导教师的社团数\n4141010001,2024-2025,12,9\n".encode()
    report = import_bytes(engine, "clubs", data, "b.csv")

    assert report.accepted, report.to_text()
    frame = export_frame(engine, "clubs", Scope())
    assert frame[["学生社团总数", "配备率"]].values.tolist() == [[12, "75.0%"]]
