"""The sticky proxy in front of several app processes, for the load bench (tests/bench/load.py).

nginx with docs/nginx.conf when nginx is installed, otherwise a few lines of asyncio doing the
same: each connection goes to the app process chosen by a hash of its cookie, like the nginx
``hash $cookie__streamlit_xsrf consistent`` (one tab's websocket, downloads and uploads reach
the same process; each simulated tab has its own cookie). Loopback only.
"""

from __future__ import annotations

import asyncio
import subprocess
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.cli import PROJECT_ROOT
from tests.servers import free_port, wait_healthy


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def _proxy_connection(
    ports: list[int], reader: asyncio.StreamReader, writer: asyncio.StreamWriter
) -> None:
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
    cookie = next((line for line in head.split(b"\r\n") if line.lower().startswith(b"cookie:")), b"")
    port = ports[zlib.crc32(cookie) % len(ports)]
    backend_reader, backend_writer = await asyncio.open_connection("127.0.0.1", port)
    backend_writer.write(head)
    await asyncio.gather(_pipe(reader, backend_writer), _pipe(backend_reader, writer))


@contextmanager
def python_proxy(urls: list[str]) -> Iterator[str]:
    """The asyncio proxy above, in a thread of its own; yields its URL."""
    import threading

    ports = [int(url.rsplit(":", 1)[1]) for url in urls]
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(
        asyncio.start_server(lambda r, w: _proxy_connection(ports, r, w), "127.0.0.1", 0)
    )
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}"
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)


@contextmanager
def nginx_proxy(urls: list[str], folder: Path) -> Iterator[str]:
    """nginx with docs/nginx.conf (its upstream servers and listen port replaced); yields its URL."""
    import re

    port = free_port()
    site = (PROJECT_ROOT / "docs" / "nginx.conf").read_text(encoding="utf-8")
    servers = "".join(f"    server {url.removeprefix('http://')};\n" for url in urls)
    site = re.sub(r"(    server 127\.0\.0\.1:\d+[^\n]*\n)+", servers, site)
    site = site.replace("listen 80;", f"listen 127.0.0.1:{port};")
    config = folder / "nginx.conf"
    config.write_text(
        f"worker_processes 1;\nerror_log {folder}/error.log;\npid {folder}/nginx.pid;\n"
        f"events {{ worker_connections 1024; }}\nhttp {{\naccess_log off;\n{site}\n}}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen(["nginx", "-p", str(folder), "-c", str(config), "-g", "daemon off;"])
    try:
        wait_healthy(f"http://127.0.0.1:{port}", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
