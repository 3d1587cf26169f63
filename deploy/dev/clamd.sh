#!/usr/bin/env bash
# ClamAV's daemon for a developer's machine, in var/clamav, on a socket of its own. The
# official signatures cannot be fetched everywhere, so where freshclam has left none in
# /var/lib/clamav it knows the EICAR test file only (as the tests' clamd does): enough to
# see an upload scanned, released or refused. Production runs freshclam (docs/uploads.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
dir="$PWD/var/clamav"
mkdir -p "$dir/db"
database="$dir/db"
if compgen -G "/var/lib/clamav/*.c[lv]d" >/dev/null; then
  database=/var/lib/clamav
else
  eicar='X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*'
  printf '%s:%s:Eicar-Test-Signature\n' "$(printf '%s' "$eicar" | md5sum | cut -d' ' -f1)" "${#eicar}" \
    >"$dir/db/test.hdb"
  printf 'Eicar-Test-Signature-Inside:0:*:%s\n' "$(printf '%s' "$eicar" | od -An -tx1 | tr -d ' \n')" \
    >"$dir/db/test.ndb"
fi
cat >"$dir/clamd.conf" <<CONF
LocalSocket $dir/clamd.sock
DatabaseDirectory $database
TemporaryDirectory $dir
Foreground yes
CONF
exec "$(command -v clamd || echo /usr/sbin/clamd)" --config-file="$dir/clamd.conf"
