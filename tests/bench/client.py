"""A Streamlit session driven the way the browser drives it: protobuf over the websocket
(see shared/recipes/load-testing.md). Used by the load bench and the two-process test.

One :class:`Session` is one browser tab: ``view`` reruns a page (optionally with changed
widgets) and waits for the run to finish; ``sign_in`` fills in and sends the sign-in form
every page shows first; ``download`` asks for a deferred CSV the way a
click on the download button does; ``upload`` puts a file into the page's file uploader.
Loopback only; every wait is bounded.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
import uuid
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

VIEW_TIMEOUT_SECONDS = 120
T = TypeVar("T")


def run_async(coroutine: Coroutine[object, object, T]) -> T:
    """``asyncio.run(coroutine)`` in a thread of its own: works even where an event loop is
    already running in this thread (pytest-playwright's sync API leaves one)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, coroutine).result()


@dataclass
class View:
    """What one rerun sent: its elements (of its last run, after any st.rerun), bytes, the seconds
    waited and the page's exceptions."""

    seconds: float = 0.0
    received_bytes: int = 0
    elements: list = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)

    def texts(self) -> list[str]:
        """The alert bodies and metric values on the page (what a reader sees as text)."""
        shown = []
        for element in self.elements:
            kind = element.WhichOneof("type")
            if kind == "alert":
                shown.append(element.alert.body)
            elif kind == "metric":
                shown.append(f"{element.metric.label}={element.metric.body}")
        return shown

    def widget(self, kind: str, label: str):  # noqa: ANN201  (a protobuf message)
        """The first widget of ``kind`` (e.g. "multiselect") whose label starts with ``label``."""
        for element in self.elements:
            if element.WhichOneof("type") == kind and getattr(element, kind).label.startswith(label):
                return getattr(element, kind)
        raise LookupError(f"no {kind} labelled {label!r} on the page")


class Session:
    """One browser tab on the app at ``base_url`` (http://127.0.0.1:PORT)."""

    def __init__(self, base_url: str, *, cookie: str = "", query: str = "") -> None:
        """``cookie``: sent with every request, as a browser sends its cookies (a sticky proxy
        keeps one tab on one app process by it). ``query``: the address's query string the tab
        opens with (e.g. "year=2024-2025"); like a browser, the tab then follows the address the
        app writes and sends it back with every rerun."""
        self.base_url = base_url
        self.query = query
        self._headers = {"Cookie": cookie} if cookie else {}
        self.session_id = ""
        self.page = ""
        self._states: dict[str, WidgetState] = {}
        self._socket = None
        self._responses: dict[str, ForwardMsg] = {}

    async def __aenter__(self) -> Session:
        address = self.base_url.replace("http://", "ws://") + "/_stcore/stream"
        self._socket = await websockets.connect(
            address, subprotocols=["streamlit"], max_size=None, additional_headers=self._headers
        )
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self._socket.close()

    async def _send(self, message: BackMsg) -> None:
        await self._socket.send(message.SerializeToString())

    async def _receive(self) -> tuple[ForwardMsg, int]:
        raw = await asyncio.wait_for(self._socket.recv(), VIEW_TIMEOUT_SECONDS)
        message = ForwardMsg()
        message.ParseFromString(raw)
        if message.WhichOneof("type") == "new_session":
            self.session_id = message.new_session.initialize.session_id
        elif message.WhichOneof("type") == "page_info_changed":
            self.query = message.page_info_changed.query_string
        return message, len(raw)

    def set_widget(self, state: WidgetState) -> None:
        """Keep ``state`` for this and every later rerun (the browser resends all widget values)."""
        self._states[state.id] = state

    async def view(self, page: str | None = None, *, trigger: WidgetState | None = None) -> View:
        """Rerun ``page`` (its URL path, "" for the default page; None: the current one) and wait for it."""
        self.page = self.page if page is None else page
        message = BackMsg()
        message.rerun_script.page_name = self.page
        message.rerun_script.query_string = self.query
        states = [*self._states.values(), *([trigger] if trigger else [])]
        message.rerun_script.widget_states.widgets.extend(states)
        view = View()
        started = time.perf_counter()
        await self._send(message)
        while True:
            received, size = await self._receive()
            view.received_bytes += size
            kind = received.WhichOneof("type")
            if kind == "delta" and received.delta.WhichOneof("type") == "new_element":
                element = received.delta.new_element
                view.elements.append(element)
                self._adopt_value_set_by_app(element)
                if element.WhichOneof("type") == "exception":
                    view.exceptions.append(element.exception.message)
            elif (
                kind == "script_finished" and received.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN
            ):
                view.elements.clear()  # the page shown is the one the rerun (st.rerun) draws
            elif kind == "script_finished":
                view.seconds = time.perf_counter() - started
                return view

    def _adopt_value_set_by_app(self, element) -> None:  # noqa: ANN001 (a protobuf message)
        """A choice the app made for a select box (e.g. the sidebar's 学年 from ?year=) is, like
        in the browser, the value this tab sends back on every later rerun."""
        kind = element.WhichOneof("type")
        if kind == "selectbox" and element.selectbox.set_value:
            self.set_widget(WidgetState(id=element.selectbox.id, string_value=element.selectbox.raw_value))
        elif kind == "multiselect" and element.multiselect.set_value:
            self.set_widget(strings_state(element.multiselect, list(element.multiselect.raw_values)))

    async def sign_in(self, name: str, password: str) -> View:
        """Fill in 用户名 and 密码 on the sign-in form and press 登录; the view after it (a
        LookupError when the form is still there, e.g. for a wrong password)."""
        form = await self.view()
        fields = [form.widget("text_input", label) for label in ("用户名", "密码")]
        for field_, value in zip(fields, (name, password), strict=True):
            self.set_widget(string_state(field_, value))
        signed_in = await self.view(trigger=trigger_state(form.widget("button", "登录")))
        for field_ in fields:
            del self._states[field_.id]
        if any(
            e.WhichOneof("type") == "text_input" and e.text_input.label == "用户名"
            for e in signed_in.elements
        ):
            raise LookupError(f"登录未成功：{name}（{'；'.join(signed_in.texts())}）")
        return signed_in

    async def _operation(self, message: BackMsg, answer: str) -> ForwardMsg:
        await self._send(message)
        while True:
            received, _ = await self._receive()
            if received.WhichOneof("type") == answer:
                return received

    async def download(self, button) -> int:  # noqa: ANN001
        """Click the deferred download ``button`` (a DownloadButton proto); the file's size."""
        return len(await self.download_bytes(button))

    async def download_bytes(self, button) -> bytes:  # noqa: ANN001
        """Click the deferred download ``button`` (a DownloadButton proto); the file."""
        return await self.fetch(await self.click_download(button))

    async def click_download(self, button) -> str:  # noqa: ANN001
        """The first half of a click on the deferred download ``button``: the server makes the
        file; its address (the browser then fetches it: :meth:`fetch`)."""
        message = BackMsg()
        request = message.backend_operation_request
        request.request_id = uuid.uuid4().hex
        request.session_id = self.session_id
        request.deferred_file.file_id = button.deferred_file_id
        response = await self._operation(message, "backend_operation_response")
        return self.base_url + response.backend_operation_response.deferred_file.url

    async def fetch(self, url: str) -> bytes:
        """GET ``url`` (raises urllib's HTTPError on a 404)."""
        return await asyncio.to_thread(_get, url, self._headers)

    async def upload(self, uploader, name: str, data: bytes) -> None:  # noqa: ANN001
        """Put ``data`` as file ``name`` into the file ``uploader`` (a FileUploader proto), as a
        drop onto it does; the next :meth:`view` runs with it."""
        message = BackMsg()
        message.file_urls_request.request_id = uuid.uuid4().hex
        message.file_urls_request.file_names.append(name)
        message.file_urls_request.session_id = self.session_id
        response = await self._operation(message, "file_urls_response")
        urls = response.file_urls_response.file_urls[0]
        await asyncio.to_thread(_put_file, self.base_url + urls.upload_url, name, data, self._headers)
        state = WidgetState(id=uploader.id)
        info = state.file_uploader_state_value.uploaded_file_info.add()
        info.name, info.size, info.file_id = name, len(data), urls.file_id
        info.file_urls.CopyFrom(urls)
        self.set_widget(state)


def _get(url: str, headers: dict[str, str]) -> bytes:
    with urllib.request.urlopen(
        urllib.request.Request(url, headers=headers), timeout=VIEW_TIMEOUT_SECONDS
    ) as response:  # noqa: S310 (loopback)
        return response.read()


def _put_file(url: str, name: str, data: bytes, headers: dict[str, str]) -> None:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url,
        data=body,
        method="PUT",
        headers=headers | {"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=VIEW_TIMEOUT_SECONDS):  # noqa: S310 (loopback)
        pass


def string_state(widget, value: str) -> WidgetState:  # noqa: ANN001
    return WidgetState(id=widget.id, string_value=value)


def strings_state(widget, values: list[str]) -> WidgetState:  # noqa: ANN001
    state = WidgetState(id=widget.id)
    state.string_array_value.data.extend(values)
    return state


def trigger_state(widget) -> WidgetState:  # noqa: ANN001
    return WidgetState(id=widget.id, trigger_value=True)
