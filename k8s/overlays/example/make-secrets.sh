#!/usr/bin/env bash
# Creates the files the secretGenerator reads, under secrets/ (git-ignored). Run once; keep a safe copy of
# secrets/master-key: without it, the keys auth stored encrypted cannot be read again.
set -euo pipefail
cd "$(dirname "$0")"
umask 077
mkdir -p secrets
[ -f secrets/db.env ] || printf 'username=%s\npassword=%s\n' "${LGSP_DB_USER:-lgsp}" "${LGSP_DB_PASSWORD:?set LGSP_DB_PASSWORD to the database password}" > secrets/db.env
[ -f secrets/master-key ] || openssl rand -base64 32 | tr -d '\n' > secrets/master-key
[ -f secrets/operator-password ] || openssl rand -base64 18 | tr -d '\n' > secrets/operator-password
[ -f secrets/service-clients.env ] || for s in routing registry catalog audit; do echo "$s=$(openssl rand -base64 30 | tr -d '\n')"; done > secrets/service-clients.env
[ -f secrets/routing-assertion.pem ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 -out secrets/routing-assertion.pem 2>/dev/null
[ -f secrets/audit-anchor.pem ] || openssl genpkey -algorithm ed25519 -out secrets/audit-anchor.pem
[ -f secrets/audit-anchor.pub.pem ] || openssl pkey -in secrets/audit-anchor.pem -pubout -out secrets/audit-anchor.pub.pem
echo "secrets/ is ready; kubectl kustomize $(pwd) | kubectl apply -f -"
