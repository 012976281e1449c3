#!/bin/sh
# What Gridworker needs from the operating system: Qt's runtime libraries and a CJK font (screens and
# printed pages are rendered and checked for Chinese); with the argument "display", also the X11
# libraries Qt's xcb platform plugin loads to open a real window (make run); for the tests, the
# PostgreSQL server binaries (the suite starts a throwaway cluster). Installs them with
# apt-get when running as root on Debian/Ubuntu; otherwise says exactly what to install.
set -eu
missing=""
if [ "${1:-}" = display ]; then
    for pair in libxcb-cursor.so.0:libxcb-cursor0 libxkbcommon-x11.so.0:libxkbcommon-x11-0 \
        libxcb-icccm.so.4:libxcb-icccm4 libxcb-image.so.0:libxcb-image0 libxcb-keysyms.so.1:libxcb-keysyms1 \
        libxcb-randr.so.0:libxcb-randr0 libxcb-render-util.so.0:libxcb-render-util0 \
        libxcb-shape.so.0:libxcb-shape0 libxcb-xinerama.so.0:libxcb-xinerama0 libxcb-xkb.so.1:libxcb-xkb1; do
        lib=${pair%%:*}
        if ! ldconfig -p 2>/dev/null | grep -q "$lib"; then
            missing="$missing ${pair#*:}"
        fi
    done
fi
if ! fc-list :lang=zh family 2>/dev/null | grep -q .; then
    missing="$missing fonts-wqy-microhei"
fi
if ! command -v fc-list >/dev/null 2>&1; then
    missing="$missing fontconfig"
fi
if ! command -v pdftoppm >/dev/null 2>&1; then
    missing="$missing poppler-utils"
fi
if [ "${1:-}" != display ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    # the server tests start a throwaway PostgreSQL of their own
    missing="$missing postgresql"
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
    echo "Installing system packages Gridworker needs:$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >/dev/null
    exit 0
fi
echo "Gridworker needs these system packages:$missing" >&2
echo "Install them (Debian/Ubuntu: sudo apt-get install$missing) and run 'make test' again." >&2
exit 1
