#!/usr/bin/env bash
# Builds what the container image serves besides the code: compiled translations and
# the static files with their manifest, under production settings (DEBUG off), as
# production reads them. deploy/Dockerfile runs this, and so does CI
# (tests/deploy/test_production_image.py), in a fresh copy of the repository.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python}"
# Production settings refuse to load without secrets. These are random, exist only
# for this step, and end up in nothing it builds. It serves no request, so no proxy.
export DEBUG=0 PYTHONPATH=platform BASE_DOMAIN=build.invalid SECURE_SSL_REDIRECT=0
SECRET_KEY="$("$python" -c 'import secrets; print(secrets.token_urlsafe(64))')"
FIELD_ENCRYPTION_KEYS="$("$python" -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')"
BLIND_INDEX_KEY="$("$python" -c 'import secrets; print(secrets.token_urlsafe(48))')"
MATCHING_KEY="$("$python" -c 'import secrets; print(secrets.token_urlsafe(48))')"
export SECRET_KEY FIELD_ENCRYPTION_KEYS BLIND_INDEX_KEY MATCHING_KEY
"$python" manage.py compilemessages -v 0 --ignore ".venv/*" --ignore "frontend/node_modules/*"
"$python" manage.py collectstatic --noinput -v 0
