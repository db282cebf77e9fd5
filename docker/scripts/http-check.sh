#!/usr/bin/env bash
# Container health check without curl or wget in the image: GET http://127.0.0.1:PORT/PATH over bash's /dev/tcp,
# healthy only on an HTTP 200 status line.
# Usage: http-check PORT PATH
set -euo pipefail
port="${1:?port}"
path="${2:?path}"
exec 3<>"/dev/tcp/127.0.0.1/${port}"
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "${path}" >&3
read -r -t 5 status <&3
exec 3<&-
[[ "${status}" == HTTP/1.?\ 200* ]]
