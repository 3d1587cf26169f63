#!/usr/bin/env bash
# First start of the compose database: the owner role (owns the database; migrations and
# onboarding run as it, and it creates each region's role) and the application role (owns
# nothing, no superuser, NOINHERIT: it only SETs ROLE to a region's role). As in
# deploy/dev/create_database.py and the CloudNativePG Cluster of deploy/k8s.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v owner_password="$DATABASE_OWNER_PASSWORD" -v app_password="$DATABASE_APP_PASSWORD" <<'SQL'
CREATE ROLE meldpunt_owner LOGIN NOSUPERUSER NOCREATEDB CREATEROLE PASSWORD :'owner_password';
CREATE ROLE meldpunt_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT PASSWORD :'app_password';
CREATE DATABASE meldpunt OWNER meldpunt_owner;
SQL
