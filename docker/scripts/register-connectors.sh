#!/bin/sh
# Registers (or updates) every connector whose configuration is a JSON file in /connectors: PUT /connectors/<name>/config
# is idempotent, so re-running the compose init step is harmless. The file name without .json is the connector name.
set -eu
connect_url="${CONNECT_URL:-http://connect:8083}"
for file in /connectors/*.json; do
  name=$(basename "${file}" .json)
  curl --silent --show-error --fail --retry 10 --retry-delay 3 --retry-all-errors \
    -X PUT -H 'Content-Type: application/json' --data-binary "@${file}" \
    "${connect_url}/connectors/${name}/config" > /dev/null
  echo "registered connector ${name}"
done
