#!/bin/sh
# Runs a command inside a private D-Bus session with its own unlocked gnome-keyring (Secret Service
# only), so tests use a real OS keychain without touching the user's keyrings or session bus.
#
#   scripts/with-keyring.sh npx vitest run electron/adapters
#
# The keyring files live in a temporary HOME/XDG_DATA_HOME that is deleted on exit; the command itself
# keeps the caller's HOME and XDG variables (npm config, caches), PATH and everything else.
# Needs: dbus-run-session (dbus-daemon), dbus-send (dbus-bin), gnome-keyring, secret-tool
# (libsecret-tools) — all installed by `npm run setup`.
set -eu

if [ "$#" -eq 0 ]; then
  echo "usage: $0 <command> [args...]" >&2
  exit 2
fi

for tool in dbus-run-session dbus-send gnome-keyring-daemon secret-tool; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "with-keyring: '$tool' not found. Run 'npm run setup' (Debian: apt-get install gnome-keyring dbus dbus-x11 libsecret-tools)." >&2
    exit 1
  fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/marketdesk-keyring.XXXXXX")
mkdir -p "$tmp/home" "$tmp/data" "$tmp/config" "$tmp/cache" "$tmp/run"
chmod 700 "$tmp" "$tmp/run"

cleanup() {
  # The daemon leaves when its bus goes away; give it a moment, then end it by its recorded id so
  # it cannot keep writing into the directory we are about to delete.
  if [ -s "$tmp/daemon.pid" ]; then
    pid=$(cat "$tmp/daemon.pid")
    i=0
    while [ "$i" -lt 20 ] && kill -0 "$pid" 2>/dev/null; do
      sleep 0.1
      i=$((i + 1))
    done
    if kill -0 "$pid" 2>/dev/null && grep -q gnome-keyring "/proc/$pid/cmdline" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
    fi
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Remember the caller's values so the command gets them back (set or unset) after the daemon starts.
for v in HOME XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_RUNTIME_DIR; do
  eval "if [ \"\${$v+x}\" = x ]; then export MDKR_ORIG_SET_$v=1 MDKR_ORIG_$v=\"\$$v\"; else export MDKR_ORIG_SET_$v=0; fi"
done
export MDKR_TMP="$tmp"

# The bus daemon itself (and anything it activates) also sees only the private HOME and XDG dirs.
status=0
HOME="$tmp/home" XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache" \
  XDG_RUNTIME_DIR="$tmp/run" \
  dbus-run-session -- sh -c '
set -eu
fail() { echo "with-keyring: $*" >&2; [ -s "$MDKR_TMP/daemon.log" ] && sed "s/^/  daemon: /" "$MDKR_TMP/daemon.log" >&2; exit 1; }

password=$(od -An -N16 -tx1 /dev/urandom | tr -d " \n")
# --unlock reads the password on stdin and creates the "login" keyring (the default collection) in
# the empty XDG_DATA_HOME, already unlocked.
out=$(printf "%s" "$password" | gnome-keyring-daemon --unlock --components=secrets 2>"$MDKR_TMP/daemon.log") \
  || fail "gnome-keyring-daemon failed to start"
# Older/newer versions print NAME=value lines (GNOME_KEYRING_CONTROL, SSH_AUTH_SOCK); export them.
while IFS= read -r line; do
  case "$line" in
    [A-Z]*=*) export "$line" ;;
  esac
done <<EOF_OUT
$out
EOF_OUT
if [ -z "${GNOME_KEYRING_CONTROL:-}" ] && [ -d "$XDG_RUNTIME_DIR/keyring" ]; then
  export GNOME_KEYRING_CONTROL="$XDG_RUNTIME_DIR/keyring"
fi

# The daemon claims org.freedesktop.secrets a little after it forks. A client arriving earlier would
# make the bus activate a second daemon from the .service file, so wait for the name.
has_owner() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q "boolean true"
}
i=0
until has_owner; do
  i=$((i + 1))
  [ "$i" -le 100 ] || fail "gnome-keyring-daemon did not register org.freedesktop.secrets within 10 s"
  sleep 0.1
done
dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
  org.freedesktop.DBus.GetConnectionUnixProcessID string:org.freedesktop.secrets 2>/dev/null \
  | awk "/uint32/ { print \$2 }" >"$MDKR_TMP/daemon.pid" || true

# Prove the default collection takes a secret (this also creates it if the daemon has not yet).
probe="probe-$$"
printf "%s" "ok-$probe" | secret-tool store --label="marketdesk keyring probe" marketdesk-probe "$probe" \
  2>>"$MDKR_TMP/daemon.log" || fail "secret-tool store failed: the private keyring does not accept secrets"
got=$(secret-tool lookup marketdesk-probe "$probe" 2>>"$MDKR_TMP/daemon.log") || got=""
[ "$got" = "ok-$probe" ] || fail "secret-tool lookup returned \"$got\" instead of the stored probe"
secret-tool clear marketdesk-probe "$probe" 2>>"$MDKR_TMP/daemon.log" || fail "secret-tool clear failed"
if secret-tool lookup marketdesk-probe "$probe" >/dev/null 2>&1; then
  fail "secret-tool clear did not remove the probe"
fi

for v in HOME XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_RUNTIME_DIR; do
  eval "if [ \"\$MDKR_ORIG_SET_$v\" = 1 ]; then export $v=\"\$MDKR_ORIG_$v\"; else unset $v; fi"
  unset "MDKR_ORIG_SET_$v" "MDKR_ORIG_$v"
done
unset MDKR_TMP
export MARKETDESK_REAL_KEYCHAIN=1
exec "$@"
' with-keyring "$@" || status=$?

exit "$status"
