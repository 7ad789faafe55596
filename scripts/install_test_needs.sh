#!/usr/bin/env bash
# Installs what the tests need from Debian's packages: chromium and a CJK font (browser tests);
# poppler-utils (pdftotext, pdftoppm) for the 通报 PDF tests; the PostgreSQL client tools
# (pg_dump, pg_restore) for the backup tests on PostgreSQL.
# Never downloads a browser of its own. Not root → says how, and the tests skip
# (under CI=true they fail instead, see tests/e2e/conftest.py).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-microhei)
command -v pdftotext >/dev/null || need+=(poppler-utils)  # the 通报 tests read the PDF's text
command -v pg_dump >/dev/null || need+=(postgresql-client)  # backup/restore on PostgreSQL
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "测试需要：${need[*]}。请以 root 运行：apt-get install -y ${need[*]}（否则相关测试将跳过）" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
