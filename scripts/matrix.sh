#!/bin/bash
# make test-matrix: the whole test suite, unchanged, on the QGIS of other Debian releases, each in a
# chroot under build/matrix/<suite>/root that is built once (debootstrap + Debian's QGIS packages + a
# venv with the pytest-qgis that supports that QGIS) and reused afterwards.
#
#   scripts/matrix.sh [suite ...]      suites: trixie (QGIS 3.40), sid (QGIS 3.44); default: both
#   scripts/matrix.sh --build [suite]  only build the chroots (CI starts this while make test runs)
#   scripts/matrix.sh --shell SUITE    a shell inside the chroot, worktree mounted (for debugging)
#   scripts/matrix.sh --unmount        undo mounts a killed run left (make clean does it first)
#   MATRIX_COMMAND="..."               what runs in the worktree instead of the test suite
#
# Needs root (debootstrap, mount, chroot). DEB_PACKAGES (from the Makefile) lists what to install.
# Mounts are undone on every exit, failure or Ctrl-C included. A failure names the QGIS that failed.
set -u -o pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD="$ROOT/build/matrix"
MIRROR=${MATRIX_MIRROR:-http://deb.debian.org/debian}
DEB_PACKAGES=${DEB_PACKAGES:?DEB_PACKAGES is set by the Makefile: run make test-matrix}
APT_OPTIONS=(-o Acquire::Check-Valid-Until=false -o Acquire::Retries=3 -o APT::Install-Recommends=false)
# pytest-qgis 3.0 dropped QGIS < 3.34, 2.1.0 is the last release for 3.22; 4.1.1 runs 3.34 .. 4.x
declare -A QGIS_OF=([trixie]="3.40" [sid]="3.44")
declare -A PYTEST_QGIS_OF=([trixie]="pytest-qgis==4.1.1" [sid]="pytest-qgis==4.1.1")
VENV=/opt/chipvlm-venv
# Inside the chroot the worktree sits at the same path as here, shared/ beside it as tests expect.
WORK_IN_CHROOT="$ROOT"
SHARED=$(dirname "$ROOT")/shared

[ "$(id -u)" = 0 ] || { echo "test-matrix needs root (debootstrap, mount, chroot)" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "debootstrap is missing: run make setup" >&2; exit 2; }

MOUNTED=()  # every mount point made, unmounted in reverse order on exit

unmount_all() {
    local i
    for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do
        umount -R "${MOUNTED[i]}" 2>/dev/null || umount -R -l "${MOUNTED[i]}" 2>/dev/null || true
    done
    MOUNTED=()
}
unmount_stale() {  # unmount_stale DIR: mounts left under DIR by a run that was killed (SIGKILL skips the trap)
    local point
    grep -o " $1/[^ ]*" /proc/mounts 2>/dev/null | sort -r | while read -r point; do
        umount -R "$point" 2>/dev/null || umount -R -l "$point" 2>/dev/null || true
    done
}
trap unmount_all EXIT
CHILD=""  # the suite running in a chroot, ended first on Ctrl-C / TERM so that its mounts can go
kill_tree() {  # kill_tree PID: the process and everything it started
    local child
    for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do kill_tree "$child"; done
    kill -TERM "$1" 2>/dev/null
}
trap 'echo "test-matrix: interrupted" >&2; [ -n "$CHILD" ] && kill_tree "$CHILD"; sleep 1; exit 130' INT TERM

log() { echo "[test-matrix $(date +%H:%M:%S)] $*"; }

bind() {  # bind SOURCE TARGET [--rbind]: the chroot lies inside the worktree, so only /dev is recursive
    mkdir -p "$2"
    mount "${3:---bind}" "$1" "$2" && MOUNTED+=("$2") && mount --make-rslave "$2"
}

mount_chroot() {
    local dir=$1
    # the chroot's / a mount point of its own, as on a real machine: `unshare -m` (the full-disk test)
    # makes / private and fails with "cannot change root filesystem propagation" otherwise
    bind "$dir" "$dir"
    mkdir -p "$dir/proc" "$dir/dev"
    mount -t proc proc "$dir/proc" && MOUNTED+=("$dir/proc")
    bind /dev "$dir/dev" --rbind
    bind "$ROOT" "$dir$WORK_IN_CHROOT"
    if [ -d "$SHARED" ]; then bind "$SHARED" "$dir$SHARED"; fi
    mkdir -p "$dir/etc/ssl/certs"
    cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/ca-certificates.crt"
    cp /etc/resolv.conf "$dir/etc/resolv.conf" 2>/dev/null || true
}

in_chroot() {  # in_chroot DIR COMMAND...: a clean environment, as a fresh login would have
    local dir=$1
    shift
    chroot "$dir" /usr/bin/env -i HOME=/root LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=dumb \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
        PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1 "$@"
}

build_chroot() {  # the base system, the Debian packages and the venv, each step skipped when done
    local suite=$1 dir=$BUILD/$suite/root stamp
    mkdir -p "$BUILD/$suite"
    if [ ! -f "$BUILD/$suite/.base" ]; then
        log "$suite: debootstrap --variant=minbase (first run only)"
        rm -rf "$dir"
        debootstrap --variant=minbase "$suite" "$dir" "$MIRROR" >"$BUILD/$suite/debootstrap.log" 2>&1 \
            || { tail -20 "$BUILD/$suite/debootstrap.log"; return 1; }
        touch "$BUILD/$suite/.base"
    fi
    unmount_stale "$BUILD/$suite"
    mount_chroot "$dir" || return 1
    stamp="$BUILD/$suite/.packages-$(echo $DEB_PACKAGES | sha1sum | cut -c1-12)"
    if [ ! -f "$stamp" ]; then
        log "$suite: apt-get install the Debian packages (first run, or the list changed)"
        { in_chroot "$dir" apt-get "${APT_OPTIONS[@]}" update &&
          in_chroot "$dir" apt-get "${APT_OPTIONS[@]}" install -y $DEB_PACKAGES &&
          in_chroot "$dir" apt-get clean; } >"$BUILD/$suite/apt.log" 2>&1 \
            || { tail -30 "$BUILD/$suite/apt.log"; return 1; }
        rm -f "$BUILD/$suite"/.packages-* "$BUILD/$suite"/.venv-*
        touch "$stamp"
    fi
    # installing ca-certificates rewrote the bundle with Debian's authorities only: pip needs the host's
    cp /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/ca-certificates.crt"
    local wants="${PYTEST_QGIS_OF[$suite]} $(grep -v -i '^pytest-qgis' "$ROOT/requirements-dev.txt" | tr '\n' ' ')"
    stamp="$BUILD/$suite/.venv-$(echo "$wants" | sha1sum | cut -c1-12)"
    if [ ! -f "$stamp" ]; then
        log "$suite: venv $VENV with ${PYTEST_QGIS_OF[$suite]}"
        { rm -rf "$dir$VENV" &&
          in_chroot "$dir" python3 -m venv --system-site-packages "$VENV" &&
          in_chroot "$dir" "$VENV/bin/python" -m pip install --quiet $wants; } >"$BUILD/$suite/venv.log" 2>&1 \
            || { tail -30 "$BUILD/$suite/venv.log"; return 1; }
        rm -f "$BUILD/$suite"/.venv-*
        touch "$stamp"
    fi
}

run_suite() {
    local suite=$1 dir=$BUILD/$suite/root version
    version=$(in_chroot "$dir" "$VENV/bin/python" -c "from qgis.core import Qgis; print(Qgis.QGIS_VERSION)" 2>&1) \
        || { echo "$version"; return 1; }
    log "$suite: QGIS $version, $(in_chroot "$dir" "$VENV/bin/python" -m pip show pytest-qgis 2>/dev/null | grep ^Version)"
    # what make test runs, with the chroot's venv
    # (both parts run even when the first fails, so that one run shows every difference)
    local command=${MATRIX_COMMAND:-"$VENV/bin/python -m pytest -p no:pytest_qgis tests/unit; unit=\$?; $VENV/bin/python -m pytest tests/qgis; qgis=\$?; [ \$unit = 0 ] && [ \$qgis = 0 ]"}
    # pytest-qgis 3+ keeps QGIS's settings in <rootdir>/.qgis-settings: each run starts from none
    rm -rf "$ROOT/.qgis-settings"
    # in the background and waited for: a signal interrupts wait, not a foreground child
    in_chroot "$dir" QT_QPA_PLATFORM=offscreen CHIPVLM_MATRIX="$suite" /bin/bash -c "cd '$WORK_IN_CHROOT' && $command" &
    CHILD=$!
    wait "$CHILD"
    local status=$?
    CHILD=""
    rm -rf "$ROOT/.qgis-settings"
    return $status
}

if [ "${1:-}" = "--unmount" ]; then unmount_stale "$BUILD"; exit 0; fi
if [ "${1:-}" = "--shell" ]; then
    suite=${2:?--shell SUITE}
    build_chroot "$suite" || exit 1
    in_chroot "$BUILD/$suite/root" QT_QPA_PLATFORM=offscreen /bin/bash -c "cd '$WORK_IN_CHROOT' && exec bash -i"
    exit $?
fi

BUILD_ONLY=0
if [ "${1:-}" = "--build" ]; then BUILD_ONLY=1; shift; fi
SUITES=("$@")
[ ${#SUITES[@]} -gt 0 ] || SUITES=(trixie sid)
for suite in "${SUITES[@]}"; do
    [ -n "${QGIS_OF[$suite]:-}" ] || { echo "unknown suite $suite (trixie, sid)" >&2; exit 2; }
done
name_of() { echo "QGIS ${QGIS_OF[$1]} (Debian $1)"; }

# 1. every chroot built (or checked) at once: downloads and unpacking overlap. Each build has its
#    own mounts, undone when its subshell ends.
declare -A PIDS
for suite in "${SUITES[@]}"; do
    ( MOUNTED=(); trap unmount_all EXIT; build_chroot "$suite" ) &
    PIDS[$suite]=$!
done
FAILED=()
READY=()
for suite in "${SUITES[@]}"; do
    if wait "${PIDS[$suite]}"; then
        READY+=("$suite")
    else
        log "FAILED: $(name_of "$suite"): the chroot could not be built (logs in build/matrix/$suite/)"
        FAILED+=("$(name_of "$suite") (chroot build)")
    fi
done

# 2. the suites, one after the other (the tests want the CPU)
if [ $BUILD_ONLY = 0 ]; then
    for suite in "${READY[@]}"; do
        started=$(date +%s)
        unmount_stale "$BUILD/$suite"
        if ! mount_chroot "$BUILD/$suite/root"; then
            log "FAILED: $(name_of "$suite"): cannot mount the chroot"
            FAILED+=("$(name_of "$suite") (mount)")
        elif ! run_suite "$suite"; then
            log "FAILED: $(name_of "$suite"): tests failed"
            FAILED+=("$(name_of "$suite")")
        else
            log "passed: $(name_of "$suite") in $(( $(date +%s) - started )) s"
        fi
        unmount_all
    done
fi
if [ ${#FAILED[@]} -gt 0 ]; then
    echo "test-matrix FAILED on: $(printf "%s; " "${FAILED[@]}")" >&2
    exit 1
fi
if [ $BUILD_ONLY = 1 ]; then
    echo "test-matrix chroots ready: ${SUITES[*]}"
else
    echo "test-matrix passed on: $(for s in "${SUITES[@]}"; do printf '%s; ' "$(name_of "$s")"; done)"
fi
