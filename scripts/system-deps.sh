#!/usr/bin/env bash
# Installs the Debian packages the product needs, when they are missing:
# the Chinese font for PDFs and screenshots, poppler (pdftoppm/pdftotext) for
# checking PDFs, gettext for translations, ClamAV for the virus scan of
# uploads and Chromium for browser tests.
set -euo pipefail

missing=()
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing+=(fonts-wqy-zenhei)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
# The virus scanner of the four checks (clamd, and sigtool for test signatures).
[ -x /usr/sbin/clamd ] || missing+=(clamav-daemon)
command -v sigtool >/dev/null 2>&1 || missing+=(clamav)
if [ "${SKIP_BROWSER:-0}" != "1" ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing system packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
elif command -v sudo >/dev/null 2>&1; then
  sudo apt-get update -qq
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Cannot install ${missing[*]}: run as root or install them by hand." >&2
  exit 1
fi
