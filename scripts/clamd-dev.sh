#!/usr/bin/env bash
# Starts clamd for `make run` on var/clamav/clamd.sock and prints the socket.
# Its signatures: freshclam's folder when it holds any (/var/lib/clamav, as in
# production), else a folder of our own with one signature made by sigtool
# from the EICAR test file (no download is possible on every machine), so that
# the demo still finds the EICAR string.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$PWD/var/clamav"
sock="$dir/clamd.sock"
mkdir -p "$dir/db"
# Already running (an earlier `make run` step): say where.
if [ -S "$sock" ] && [ -f "$dir/clamd.pid" ] && kill -0 "$(cat "$dir/clamd.pid")" 2>/dev/null; then
  echo "$sock"
  exit 0
fi
if ! command -v clamd >/dev/null 2>&1 && [ ! -x /usr/sbin/clamd ]; then
  echo "clamd is not installed (apt-get install clamav-daemon): uploads wait as 'scan pending'." >&2
  exit 1
fi
if ls /var/lib/clamav/*.c[lv]d >/dev/null 2>&1; then
  db=/var/lib/clamav
else
  db="$dir/db"
  printf '%s' 'X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*' >"$dir/eicar.com"
  sigtool --md5 "$dir/eicar.com" | awk -F: '{print $1":"$2":Eicar-Test-Signature"}' >"$db/test.hdb"
  rm -f "$dir/eicar.com"
fi
cat >"$dir/clamd.conf" <<CONF
LocalSocket $sock
DatabaseDirectory $db
Foreground yes
LogFile $dir/clamd.log
StreamMaxLength 200M
MaxFileSize 200M
MaxScanSize 400M
CONF
rm -f "$sock"
"$(command -v clamd || echo /usr/sbin/clamd)" -c "$dir/clamd.conf" >/dev/null 2>&1 &
echo $! >"$dir/clamd.pid"
for _ in $(seq 1 300); do
  [ -S "$sock" ] && break
  sleep 0.2
done
echo "$sock"
