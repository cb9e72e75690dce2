#!/usr/bin/env bash
# One command from a fresh clone to a running bridge:
#   - installs the npm packages (and Node 24 from the npm registry where the machine's Node is older);
#   - starts a local Kafka 3.9 broker unless KAFKA_BROKERS is given;
#   - uses the local PostgreSQL server unless DATABASE_URL is given, creating the database when missing;
#   - migrates, creates a development client the first time unless CLIENTS_FILE is given, prints its token,
#   - then runs the service in the foreground (Ctrl-C stops it cleanly).
# Development defaults only: production sets every variable itself (see README, Configuration).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund
fi

if [[ -z "${KAFKA_BROKERS:-}" ]]; then
  bash scripts/kafka.sh start
  export KAFKA_BROKERS=127.0.0.1:9092
fi

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/gcos_zsm_bridge}"
npm run -s db:ensure

mkdir -p .local
if [[ -z "${PSEUDONYM_KEY:-}" && -z "${PSEUDONYM_KEY_FILE:-}" ]]; then
  # A development secret, made once per clone and kept out of git (.local/ is ignored).
  [[ -f .local/pseudonym.key ]] || head -c 48 /dev/urandom | base64 | tr -d '\n' >.local/pseudonym.key
  export PSEUDONYM_KEY_FILE="$PWD/.local/pseudonym.key"
fi
export BRIDGE_OIN="${BRIDGE_OIN:-00000009999999999999}" # a placeholder OIN: set your organisation's own

npm run -s migrate

if [[ -z "${CLIENTS_FILE:-}" ]]; then
  # A development client for the Veiligheidshuis of the example advice, made once per clone; its token is kept
  # in .local/ (ignored by git) so it can be printed again. Production declares its own clients.
  if [[ ! -f .local/clients.json ]]; then
    (umask 077 && npx gcos-zsm-bridge client-token dev-gcos --file .local/clients.json --oin 00000001823288444000 \
      --name 'Development client (example Veiligheidshuis)' --roles submit-advice,ops >.local/dev-client.token)
  fi
  export CLIENTS_FILE="$PWD/.local/clients.json"
  echo "run-local: development client dev-gcos (submit-advice, ops); send: Authorization: Bearer $(cat .local/dev-client.token)"
fi
echo "run-local: starting the bridge on port ${PORT:-8080} (Kafka ${KAFKA_BROKERS}, PostgreSQL ${DATABASE_URL##*@})"
exec npm start
