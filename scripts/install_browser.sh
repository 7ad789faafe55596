#!/usr/bin/env bash
# Installs what the browser tests need from Debian's packages: chromium and a CJK font;
# and poppler-utils (pdftotext, pdftoppm) for the 通报 PDF tests.
# Never downloads a browser of its own. Not root → says how, and the tests skip
# (under CI=true they fail instead, see tests/e2e/conftest.py).
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list :lang=zh 2>/dev/null | grep -q . || need+=(fonts-wqy-microhei)
command -v pdftotext >/dev/null || need+=(poppler-utils)  # the 通报 tests read the PDF's text
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "浏览器测试需要：${need[*]}。请以 root 运行：apt-get install -y ${need[*]}（否则浏览器测试将跳过）" >&2
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${need[@]}" >/dev/null
