#!/bin/sh
# What the test suite needs from the operating system: Qt's runtime libraries and a CJK font
# (screens and printed pages are rendered and checked for Chinese). Installs them with apt-get when
# running as root on Debian/Ubuntu; otherwise says exactly what to install.
set -eu
missing=""
if ! fc-list :lang=zh family 2>/dev/null | grep -q .; then
    missing="$missing fonts-wqy-microhei"
fi
if ! command -v fc-list >/dev/null 2>&1; then
    missing="$missing fontconfig"
fi
if ! command -v pdftoppm >/dev/null 2>&1; then
    missing="$missing poppler-utils"
fi
for lib in libEGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libdbus-1.so.3 libGL.so.1; do
    if ! ldconfig -p 2>/dev/null | grep -q "$lib"; then
        case $lib in
            libEGL.so.1) missing="$missing libegl1" ;;
            libxkbcommon.so.0) missing="$missing libxkbcommon0" ;;
            libfontconfig.so.1) missing="$missing libfontconfig1" ;;
            libdbus-1.so.3) missing="$missing libdbus-1-3" ;;
            libGL.so.1) missing="$missing libgl1" ;;
        esac
    fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages the tests need:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
    exit 0
fi
echo "The test suite needs these system packages:$missing" >&2
echo "Install them (Debian/Ubuntu: sudo apt-get install$missing) and run 'make test' again." >&2
exit 1
