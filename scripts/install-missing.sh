#!/usr/bin/env bash
# Sourced by scripts/test.sh and scripts/services/*.sh.
# Installs a Debian package when its command is missing (on Debian/Ubuntu); elsewhere says what to install.
install_missing() {
  local package="$1" why="$2"
  if command -v apt-get >/dev/null 2>&1; then
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "Installing $package for $why..." >&2
    { $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q \
      && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$package"; } >&2 \
      || echo "Could not install $package; $why will fail until it is installed." >&2
  else
    echo "$package is missing and there is no apt-get: install it, or $why will fail." >&2
  fi
}
