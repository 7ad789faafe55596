"""What kind of file this is, from its first bytes (not its name), and the refusals of files
that cannot be read: empty, too large, encrypted, corrupt, a zip bomb, not a spreadsheet.

A zip holding ``xl/workbook.xml`` is .xlsx, one holding ``content.xml`` is .ods, an OLE
compound file with a ``Workbook`` stream is .xls (an OLE file with an ``EncryptionInfo``
stream is an encrypted workbook), and a ``.csv`` (or ``.txt``) name with text inside is CSV.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath
from typing import NoReturn

from core.ingest.codes import Reason
from core.ingest.read.sheets import MB, UnreadableFile, size_text

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024  # all members of a workbook together
MAX_COMPRESSION_RATIO = 200  # a member that expands more than this (and above 1 MB) is a zip bomb


def check_size(size: int, max_bytes: int) -> None:
    """Refuse an empty file and one above the upload limit."""
    if size == 0:
        raise UnreadableFile(Reason.EMPTY_FILE, "文件是空的（0 字节），请重新选择要上传的表格文件")
    if size > max_bytes:
        raise UnreadableFile(
            Reason.TOO_LARGE,
            f"文件大小 {size_text(size)}，超过上限 {size_text(max_bytes)}；请删除无关的工作表或拆分后分别上传",
        )


def refuse_encrypted() -> NoReturn:
    raise UnreadableFile(Reason.ENCRYPTED, "文件已加密（设置了打开密码），无法读取；请取消密码后另存再上传")


def refuse_corrupt() -> NoReturn:
    raise UnreadableFile(Reason.CORRUPT, "文件已损坏，无法打开；请在 Excel/WPS 中打开后另存为 .xlsx 再上传")


def _check_zip(data: bytes) -> list[str]:
    """Member names of a zip workbook, after refusing corrupt archives and zip bombs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        refuse_corrupt()
    total = sum(member.file_size for member in members)
    expands_too_much = any(
        member.file_size > MB and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if total > MAX_UNCOMPRESSED_BYTES or expands_too_much:
        raise UnreadableFile(
            Reason.ZIP_BOMB,
            f"文件解压后达 {size_text(total)}，压缩比异常，疑似恶意构造的文件，已拒绝；请上传正常填写的表格",
        )
    return [member.filename for member in members]


def _check_ole(data: bytes) -> None:
    """An OLE compound file must be an unencrypted .xls workbook."""
    import msoffcrypto
    import olefile

    # olefile and msoffcrypto raise assorted exception types on damaged input; all mean "corrupt".
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except Exception:  # noqa: BLE001
        refuse_corrupt()
    if "EncryptionInfo" in streams:  # an encrypted .xlsx travels inside an OLE file
        refuse_encrypted()
    if not streams & {"Workbook", "Book"}:
        raise UnreadableFile(
            Reason.NOT_A_SPREADSHEET,
            "这不是 Excel 表格（可能是 Word 或其他 Office 文件），请上传 .xlsx、.xls 或 .csv 文件",
        )
    try:
        encrypted = msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted()  # .xls with a FILEPASS record
    except Exception:  # noqa: BLE001
        refuse_corrupt()
    if encrypted:
        refuse_encrypted()


def kind_of(data: bytes, file_name: str) -> str:
    """'xlsx', 'ods', 'xls' or 'csv' — or UnreadableFile."""
    if data.startswith(ZIP_MAGIC):
        names = _check_zip(data)
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "content.xml" in names:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "META-INF/manifest.xml" in names and b"encryption-data" in archive.read(
                    "META-INF/manifest.xml"
                ):
                    refuse_encrypted()
            return "ods"
        raise UnreadableFile(
            Reason.NOT_A_SPREADSHEET,
            "这不是表格文件（是其他类型的压缩包或文档），请上传 .xlsx、.xls 或 .csv 文件",
        )
    if data.startswith(OLE_MAGIC):
        _check_ole(data)
        return "xls"
    is_text = data.startswith(UTF16_BOMS) or b"\x00" not in data[:65536]
    suffix = PurePath(file_name).suffix.lower()
    if suffix in (".csv", ".txt") and is_text:
        return "csv"
    if is_text and suffix in (".xls", ".xlsx", ".et"):
        _refuse_text_named_like_a_workbook(data, suffix)
    raise UnreadableFile(Reason.NOT_A_SPREADSHEET, "这不是表格文件，请上传 .xlsx、.xls 或 .csv 文件")


def web_page_or_xml(data: bytes) -> str | None:
    """What a text file really is when it is a web page or Excel 2003 XML, else None."""
    head = data[:4096].lower()
    if b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        return "Excel 2003 XML 表格"
    if b"<html" in head or b"<table" in head or b"<!doctype html" in head:
        return "网页（HTML 表格，多为业务系统“导出 Excel”生成）"
    return None


def _refuse_text_named_like_a_workbook(data: bytes, suffix: str) -> NoReturn:
    """Web systems' “导出 Excel” often writes a web page, Excel 2003 XML or tab-separated text
    under an .xls name; say what the file really is and how to turn it into a workbook."""
    what = web_page_or_xml(data) or "纯文本（可能是系统导出的制表符或逗号分隔文本）"
    raise UnreadableFile(
        Reason.NOT_A_SPREADSHEET,
        f"文件扩展名是 {suffix}，但内容是{what}，不是真正的 Excel 工作簿；"
        "请用 Excel/WPS 打开后“另存为” .xlsx 再上传",
    )
