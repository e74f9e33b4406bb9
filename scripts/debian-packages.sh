#!/usr/bin/env bash
# Installs the Debian packages that the given lists name and this machine lacks, with one
# `apt-get update` for all of them (make test calls it once, before anything is built; each
# binding's test.sh calls it with its own list, a no-op when everything is there).
#   bash scripts/debian-packages.sh bindings-php/debian-packages.txt [more lists...]
# A list holds one package per line; `#` starts a comment. Needs root when something is missing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
wanted=()
for list in "$@"; do
  [ -f "$list" ] || list="$root/$list"
  while read -r p _; do
    [ -n "$p" ] && wanted+=("$p")
  done < <(sed 's/#.*//' "$list")
done
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "run as root, or install them: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# The tests start their own servers (PHP-FPM, nginx) on free ports: the packages' system services
# must not start at install. Debian's images deny it with /usr/sbin/policy-rc.d; where there is
# none, one is put in place for the install only.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy" && chmod +x "$policy"
  trap 'rm -f "$policy"' EXIT
fi
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
