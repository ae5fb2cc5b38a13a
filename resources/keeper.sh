#!/bin/sh
# Clawker credential keeper. POSIX sh (busybox sh, dash, bash).
#
# Claude Code saves its login by writing a temporary file and renaming it over
# ~/.claude/.credentials.json, which replaces the link into the shared global
# volume with a regular file. Every CLAWKER_KEEPER_INTERVAL seconds the keeper
# puts things back: a newer usable login goes into the global volume (byte for
# byte, atomically, mode 600) so every agent reads it through its link; a blanked,
# older or unreadable one never overwrites the global file and is kept aside as
# .credentials.json.rejected-<stamp> (the newest three are kept); then the link is
# restored, atomically. It never prints a token.
#
#   keeper.sh --watch PID   loop until process PID is gone (the entrypoint passes its own)
#   keeper.sh --once        one pass, then exit
# Sourced with CLAWKER_KEEPER_LIB=1 it only defines its functions (the entrypoint uses them).

HOME="${HOME:-/home/claude}"
CLAUDE_DIR="$HOME/.claude"
GLOBAL_DIR="$HOME/.clawker-globals"
LOCAL_CREDS="$CLAUDE_DIR/.credentials.json"
GLOBAL_CREDS="$GLOBAL_DIR/.credentials.json"
KEEP_REJECTED=3

clawker_log() { echo "[clawker] $*" >&2; }

# A string or number field of the credentials JSON (flattened first: it may be pretty-printed).
# Only metadata is ever shown; tokens are only tested for being non-empty.
json_field() {
  tr -d '\n\r' < "$2" 2>/dev/null |
    sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\{0,1\}\([^\",}]*\)\"\{0,1\}.*/\1/p" | head -n 1
}

# expiresAt of a usable login (non-empty access and refresh tokens, expiresAt > 0), else 0.
usable_expiry() {
  [ -f "$1" ] && [ -r "$1" ] || { echo 0; return; }
  access=$(json_field accessToken "$1")
  refresh=$(json_field refreshToken "$1")
  expiry=$(json_field expiresAt "$1")
  case "$expiry" in '' | *[!0-9]*) expiry=0 ;; esac
  if [ -n "$access" ] && [ -n "$refresh" ] && [ "$expiry" -gt 0 ] 2>/dev/null; then echo "$expiry"; else echo 0; fi
}

is_regular_file() { [ -f "$1" ] && [ ! -L "$1" ]; }

is_linked() { [ -L "$LOCAL_CREDS" ] && [ "$(readlink "$LOCAL_CREDS")" = "$GLOBAL_CREDS" ]; }

stamp() { date -u +%Y%m%dT%H%M%SZ; }

# Whether the global folder is a mount point (the volume), not the empty folder the image makes.
global_mounted() {
  [ -d "$GLOBAL_DIR" ] || return 1
  if [ -r /proc/self/mountinfo ]; then
    awk -v d="$GLOBAL_DIR" '$5 == d { found = 1 } END { exit !found }' /proc/self/mountinfo
  else
    [ "$(stat -c %d "$GLOBAL_DIR" 2>/dev/null)" != "$(stat -c %d "$GLOBAL_DIR/.." 2>/dev/null)" ]
  fi
}

# Copies a file into the global volume byte for byte: a temporary file beside it, then a rename.
copy_into_global() {
  tmp="$GLOBAL_DIR/.credentials.json.tmp.$$"
  if cp "$1" "$tmp" 2>/dev/null && chmod 600 "$tmp" 2>/dev/null && mv -f "$tmp" "$GLOBAL_CREDS" 2>/dev/null; then
    return 0
  fi
  rm -f "$tmp" 2>/dev/null
  return 1
}

# Replaces ~/.claude/.credentials.json with the link: made under a temporary name, then renamed over.
make_link() {
  tmp="$CLAUDE_DIR/.credentials.json.tmp-link.$$"
  rm -f "$tmp" 2>/dev/null
  if ln -s "$GLOBAL_CREDS" "$tmp" 2>/dev/null && mv -f "$tmp" "$LOCAL_CREDS" 2>/dev/null; then
    return 0
  fi
  rm -f "$tmp" 2>/dev/null
  return 1
}

# Sets a login aside without losing it, and keeps only the newest few.
reject_local() {
  aside="$LOCAL_CREDS.rejected-$(stamp)-$$"
  mv -f "$LOCAL_CREDS" "$aside" 2>/dev/null || return 1
  chmod 600 "$aside" 2>/dev/null
  # shellcheck disable=SC2012 # names are ours: no newlines
  ls -1t "$LOCAL_CREDS".rejected-* 2>/dev/null | tail -n +$((KEEP_REJECTED + 1)) | while read -r old; do rm -f "$old"; done
  return 0
}

# The signature of the last local file the keeper could not settle: it is not tried again until it changes.
keeper_stuck=""

keeper_pass() {
  if [ ! -e "$LOCAL_CREDS" ] && [ ! -L "$LOCAL_CREDS" ]; then
    # Removed (a logout): restore the link when there is a shared login to point at.
    if [ -e "$GLOBAL_CREDS" ] && make_link; then clawker_log "keeper relinked missing credentials"; fi
    return 0
  fi
  is_regular_file "$LOCAL_CREDS" || return 0
  # Inode, size and mtime: every save by Claude Code (a rename) makes a new inode.
  sig=$(stat -c '%i %s %Y' "$LOCAL_CREDS" 2>/dev/null)
  [ -n "$keeper_stuck" ] && [ "$sig" = "$keeper_stuck" ] && return 0
  local_exp=$(usable_expiry "$LOCAL_CREDS")
  global_exp=$(usable_expiry "$GLOBAL_CREDS")
  if [ -e "$GLOBAL_CREDS" ] && cmp -s "$LOCAL_CREDS" "$GLOBAL_CREDS"; then
    : # the same login: only the link is missing
  elif [ "$local_exp" -gt 0 ] && { [ ! -e "$GLOBAL_CREDS" ] || [ "$local_exp" -gt "$global_exp" ]; }; then
    if ! copy_into_global "$LOCAL_CREDS"; then
      clawker_log "keeper warning: could not write the global credentials; keeping this agent's login as it is"
      keeper_stuck="$sig"
      return 1
    fi
    clawker_log "keeper pushed a newer login to the global volume expiresAt=$local_exp"
  else
    reason="older than the shared login"
    [ "$local_exp" -eq 0 ] && reason="blanked or unreadable"
    if ! reject_local; then
      clawker_log "keeper warning: could not set aside a login that is $reason"
      keeper_stuck="$sig"
      return 1
    fi
    clawker_log "keeper kept the global login; set aside a local one that is $reason"
  fi
  if make_link; then
    clawker_log "keeper restored the link"
  else
    clawker_log "keeper warning: could not restore the link"
    keeper_stuck="$sig"
    return 1
  fi
  keeper_stuck=""
  return 0
}

[ "${CLAWKER_KEEPER_LIB:-}" = 1 ] && return 0

case "${1:-}" in
  --once)
    keeper_pass
    exit $?
    ;;
  --watch)
    watched="${2:?keeper.sh --watch needs a PID}"
    interval="${CLAWKER_KEEPER_INTERVAL:-2}"
    [ "$interval" = 0 ] && exit 0
    # Ends with the agent: the watched process is its main process.
    while kill -0 "$watched" 2>/dev/null; do
      keeper_pass
      sleep "$interval"
    done
    ;;
  *)
    echo "usage: keeper.sh --watch PID | --once" >&2
    exit 2
    ;;
esac
