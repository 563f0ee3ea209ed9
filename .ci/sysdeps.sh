#!/bin/sh
# Install the system libraries PySide6 needs on Debian/Ubuntu, only those missing.
# Needs root (CI runs as root); prints what it installs.
set -eu

packages="libegl1 libgl1 libxkbcommon0 libfontconfig1 libfreetype6 libdbus-1-3 libx11-6 \
fonts-dejavu-core xvfb xauth libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-image0 \
libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0 \
libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libx11-xcb1"

command -v dpkg-query >/dev/null 2>&1 || { echo "sysdeps: not a Debian system; skipping"; exit 0; }

missing=""
for p in $packages; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
# glib was renamed in the 64-bit time transition (Debian 13, Ubuntu 24.04).
if ! dpkg-query -W -f='${Status}' libglib2.0-0 2>/dev/null | grep -q "install ok installed" &&
   ! dpkg-query -W -f='${Status}' libglib2.0-0t64 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing glib"
fi

if [ -z "$missing" ]; then
    echo "sysdeps: all present"
    exit 0
fi
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
case "$missing" in
    *glib*)
        if apt-cache show libglib2.0-0t64 >/dev/null 2>&1; then glib=libglib2.0-0t64; else glib=libglib2.0-0; fi
        missing=$(echo "$missing" | sed "s/glib/$glib/")
        ;;
esac
echo "sysdeps: installing$missing"
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
