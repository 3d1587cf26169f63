#!/usr/bin/env bash
# Web server, Celery worker and beat for a developer machine; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PYTHONPATH="platform${PYTHONPATH:+:$PYTHONPATH}"
mkdir -p var
trap 'kill 0' EXIT INT TERM
# Uploads are scanned by this clamd (deploy/dev/clamd.sh); while it loads, they wait.
export CLAMD_ADDRESS="$PWD/var/clamav/clamd.sock"
bash deploy/dev/clamd.sh &

.venv/bin/celery -A meldpunt worker --loglevel INFO --concurrency 2 &
.venv/bin/celery -A meldpunt beat --loglevel INFO \
  --scheduler tenant_schemas_celery.scheduler:TenantAwareScheduler \
  --schedule var/celerybeat-schedule &
.venv/bin/gunicorn meldpunt.wsgi --config deploy/gunicorn.conf.py --bind "127.0.0.1:${PORT:-8000}" &

cat <<TEXT

  Meldpunt platform is running:
    platform (landelijk beheer)  http://localhost:${PORT:-8000}/
    Twente                       http://twente.localhost:${PORT:-8000}/
    Limburg                      http://limburg.localhost:${PORT:-8000}/

  Demo logins (password Meldpunt-demo-2026):
    landelijk@platform.demo           at http://localhost:${PORT:-8000}/
    <rol>@twente.demo, <rol>@limburg.demo
      rol = medewerker, procesregisseur, screeningsteamlid, casuscoordinator,
            partnercontact, regiobeheerder, analist, privacyofficer
  E-mail (invitations, password resets) is printed here, on the console.
  Uploads are scanned by a clamd of its own (var/clamav), which knows the EICAR test file.

TEXT
wait
