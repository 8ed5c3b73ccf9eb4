#!/usr/bin/env bash
# Installs (when missing) and starts the local Postgres and Redis that scoregate uses, and creates
# its role and databases. Idempotent: safe to run any number of times. Needs root or sudo.
set -euo pipefail

PG_USER="${SCOREGATE_PG_USER:-scoregate}"
PG_PASSWORD="${SCOREGATE_PG_PASSWORD:-scoregate}"
PG_DATABASES="${SCOREGATE_PG_DATABASES:-scoregate scoregate_test}"
# Databases dropped and created empty again (the benchmarks start each run from the same state).
PG_FRESH_DATABASES="${SCOREGATE_PG_FRESH_DATABASES:-}"

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

log() { printf '[services] %s\n' "$*" >&2; }

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then
    $SUDO apt-get update -qq >/dev/null
    apt_updated=1
  fi
  $SUDO apt-get install -y -qq "$@" >/dev/null
}

# --- Tools the scripts use ------------------------------------------------------
if ! command -v curl >/dev/null 2>&1; then
  log "installing curl"
  apt_install curl ca-certificates
fi
if ! command -v openssl >/dev/null 2>&1; then
  log "installing openssl (the TLS test makes its own certificate)"
  apt_install openssl
fi

# --- Headless Chromium and its driver, for the dashboard's browser test (scripts/test) ---------
if [ "${SCOREGATE_WITH_BROWSER:-}" = "1" ] \
    && { ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; }; then
  log "installing Chromium and chromedriver (browser tests)"
  apt_install chromium chromium-driver
fi

# --- PostgreSQL ---------------------------------------------------------------
if ! command -v pg_lsclusters >/dev/null 2>&1 || [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
  log "installing PostgreSQL"
  apt_install postgresql
fi
read -r PG_VERSION PG_CLUSTER PG_PORT PG_STATUS _ < <(pg_lsclusters -h | head -n 1)
if [ "$PG_STATUS" != "online" ]; then
  log "starting PostgreSQL $PG_VERSION/$PG_CLUSTER"
  $SUDO pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start
fi
for _ in $(seq 1 30); do
  $SUDO su postgres -c "pg_isready -q -p $PG_PORT" && break
  sleep 1
done

psql_admin() { $SUDO su postgres -c "psql -v ON_ERROR_STOP=1 -q -p $PG_PORT -tA $*"; }
if [ "$(psql_admin "-c \"SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'\"")" != "1" ]; then
  log "creating role $PG_USER"
  psql_admin "-c \"CREATE ROLE $PG_USER LOGIN PASSWORD '$PG_PASSWORD'\""
fi
for db in $PG_FRESH_DATABASES; do
  psql_admin "-c \"DROP DATABASE IF EXISTS $db WITH (FORCE)\""
done
for db in $PG_DATABASES $PG_FRESH_DATABASES; do
  if [ "$(psql_admin "-c \"SELECT 1 FROM pg_database WHERE datname = '$db'\"")" != "1" ]; then
    log "creating database $db"
    psql_admin "-c \"CREATE DATABASE $db OWNER $PG_USER\""
  fi
done

# --- Redis (rate-limit counters, cache invalidation) ---------------------------
if ! command -v redis-server >/dev/null 2>&1; then
  log "installing Redis"
  apt_install redis-server
fi
if ! redis-cli -p 6379 ping >/dev/null 2>&1; then
  log "starting Redis"
  redis-server --port 6379 --bind 127.0.0.1 --daemonize yes --save '' --appendonly no \
    --logfile /tmp/scoregate-redis.log
  for _ in $(seq 1 30); do redis-cli -p 6379 ping >/dev/null 2>&1 && break; sleep 0.2; done
fi
log "Postgres on 127.0.0.1:$PG_PORT, Redis on 127.0.0.1:6379"
