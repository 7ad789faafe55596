"""A long table is shown a page at a time (what a reader reads, not megabytes per rerun); its
CSV file still holds every row. Driven over the websocket like the browser (tests/bench/client.py)."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pyarrow as pa
from streamlit.proto.WidgetStates_pb2 import WidgetState

from pages._shared import PAGE_ROWS
from tests.apptest import TEST_PASSWORD, app_user
from tests.bench.client import Session, View, run_async
from tests.bench.load import SEEDED_YEAR
from tests.cli import run_cli
from tests.servers import serve_app

NO_XSRF = ["--server.enableXsrfProtection", "false"]  # the simulated tab sends no XSRF cookie


def _details(view: View) -> tuple[pd.DataFrame, object, object]:
    """学校明细 on the staffing page: (the rows shown, its pagination, its CSV button)."""
    kinds = [element.WhichOneof("type") for element in view.elements]
    first = kinds.index("pagination")  # the first paged table is 学校明细
    table = next(view.elements[i].dataframe for i in range(first, len(kinds)) if kinds[i] == "dataframe")
    button = next(
        view.elements[i].download_button for i in range(first, len(kinds)) if kinds[i] == "download_button"
    )
    rows = pa.ipc.open_stream(table.arrow_data.data).read_all().to_pandas()
    return rows, view.elements[first].pagination, button


def test_a_national_table_is_paged_and_its_csv_has_every_row(tmp_path: Path) -> None:
    database_url = f"sqlite:///{tmp_path / 'app.db'}"
    seeded = run_cli(database_url, "seed", "--institutions", "260", "--years", "1")
    assert seeded.returncode == 0, seeded.stderr
    app_user("管理员", "admin", database_url=database_url)

    async def browse() -> tuple[pd.DataFrame, pd.DataFrame, str]:
        with serve_app(database_url, tmp_path / "server.log", extra=NO_XSRF) as base_url:
            async with Session(base_url, query=SEEDED_YEAR) as tab:
                await tab.sign_in("管理员", TEST_PASSWORD)
                first_page, pagination, button = _details(await tab.view("staffing"))
                csv = (await tab.download_bytes(button)).decode("utf-8-sig")
                tab.set_widget(WidgetState(id=pagination.id, int_value=3))
                third_page, _, _ = _details(await tab.view())
        return first_page, third_page, csv

    first_page, third_page, csv = run_async(browse())

    every_row = pd.read_csv(io.StringIO(csv), dtype=str)
    assert len(every_row) > 2 * PAGE_ROWS
    assert len(first_page) == PAGE_ROWS
    assert len(third_page) == len(every_row) - 2 * PAGE_ROWS
    assert first_page["学校标识码"].tolist() == every_row["学校标识码"][:PAGE_ROWS].tolist()
    assert third_page["学校标识码"].tolist() == every_row["学校标识码"][2 * PAGE_ROWS :].tolist()
