#!/usr/bin/env bash
# Installs the Debian packages the product needs, when they are missing:
# the Chinese font for PDFs and screenshots, poppler (pdftoppm/pdftotext) for
# checking PDFs, zbar (reading their barcodes back), gettext for translations, ClamAV for the virus scan of
# uploads, Tesseract, Ghostscript and LibreOffice for long-term copies and
# the text inside files, Dovecot (the real IMAP server the mailbox tests
# start), nginx (the deployment test), OpenLDAP (the directory login and
# its test), Redis, and Chromium for browser tests.
set -euo pipefail

missing=()
[ -f /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing+=(fonts-wqy-zenhei)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
# The request form's barcode is read back by a real scanner program in its test.
command -v zbarimg >/dev/null 2>&1 || missing+=(zbar-tools)
command -v msgfmt >/dev/null 2>&1 || missing+=(gettext)
# The virus scanner of the four checks (clamd, and sigtool for test signatures).
[ -x /usr/sbin/clamd ] || missing+=(clamav-daemon)
command -v sigtool >/dev/null 2>&1 || missing+=(clamav)
# Long-term copies and the text inside files: OCR (Tesseract with Simplified
# Chinese), Ghostscript, LibreOffice for Word and Excel files.
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
[ -f /usr/share/tesseract-ocr/5/tessdata/chi_sim.traineddata ] || missing+=(tesseract-ocr-chi-sim)
command -v gs >/dev/null 2>&1 || missing+=(ghostscript)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui libreoffice-calc-nogui)
# Redis: the queue and shared cache of `make run`, and the cache tests start
# a redis-server of their own.
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
# The mailbox tests read mail from a real IMAP server they start themselves.
[ -x /usr/sbin/dovecot ] || missing+=(dovecot-imapd)
# The deployment test runs the nginx site (deploy/nginx/) in front of two
# gunicorn instances.
[ -x /usr/sbin/nginx ] || missing+=(nginx)
# Login through the company's directory: python-ldap is built against
# OpenLDAP's headers; the directory tests start a real slapd.
[ -f /usr/include/ldap.h ] || missing+=(libldap2-dev)
[ -f /usr/include/sasl/sasl.h ] || missing+=(libsasl2-dev)
[ -x /usr/sbin/slapd ] || missing+=(slapd)
command -v ldapmodify >/dev/null 2>&1 || missing+=(ldap-utils)
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
