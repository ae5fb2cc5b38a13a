#!/bin/sh
# Clawker credential keeper. POSIX sh (busybox sh, dash, bash); no jq.
#
# Claude Code saves its login by writing a temporary file and renaming it over
# ~/.claude/.credentials.json, which replaces the link into the shared global
# volume with a regular file. Every CLAWKER_KEEPER_INTERVAL seconds the keeper
# puts things back: a newer usable login goes into the global volume (byte for
# byte, by rename, mode 600, the old shared file kept first as
# .credentials.json.bak-<stamp>, the newest five kept) so every agent reads it
# through its link; a blanked, older or unreadable one never overwrites the
# global file and is kept aside as .credentials.json.rejected-<stamp> (the newest
# three are kept); then the link is restored, atomically. It never prints a token.
#
# Only Claude Code's own entry decides what is usable and newer:
# claudeAiOauth.{accessToken,refreshToken,expiresAt}. The same file holds other
# logins (mcpOAuth, for MCP servers); they are carried along, never read.
# Files over 1 MiB, and anything that is not a regular file where a credentials
# file belongs, are never parsed, backed up over or replaced: they are reported.
#
# A logout inside an agent (Claude Code deletes its credentials file) sticks: the
# keeper leaves a marker link to a path that never exists, so Claude Code reads
# "no login", the window says "signed out in this agent", and neither the keeper
# nor the entrypoint relinks it. A new login there is shared as usual.
#
#   keeper.sh --watch PID   loop until process PID is gone (the entrypoint passes its own)
#   keeper.sh --once        one pass, then exit
# Sourced with CLAWKER_KEEPER_LIB=1 it only defines its functions (the entrypoint uses them).

HOME="${HOME:-/home/claude}"
CLAUDE_DIR="$HOME/.claude"
GLOBAL_DIR="$HOME/.clawker-globals"
LOCAL_CREDS="$CLAUDE_DIR/.credentials.json"
GLOBAL_CREDS="$GLOBAL_DIR/.credentials.json"
# Where a signed-out agent's credentials link points: a path nothing ever creates.
SIGNED_OUT_TARGET="$CLAUDE_DIR/.clawker-signed-out"
KEEP_REJECTED=3
KEEP_BACKUPS=5
MAX_CRED_BYTES=1048576

clawker_log() { echo "[clawker] $*" >&2; }

stamp() { date -u +%Y%m%dT%H%M%SZ; }

# What is at a credentials path: missing, link, file (regular, at most 1 MiB), large (regular,
# over 1 MiB), dir, or other. Never follows a link.
cred_kind() {
  if [ -L "$1" ]; then echo link
  elif [ ! -e "$1" ]; then echo missing
  elif [ -d "$1" ]; then echo dir
  elif [ -f "$1" ]; then
    size=$(stat -c %s "$1" 2>/dev/null || echo 0)
    if [ "$size" -gt "$MAX_CRED_BYTES" ] 2>/dev/null; then echo large; else echo file; fi
  else echo other
  fi
}

# claudeAiOauth.expiresAt of a usable login (non-empty access and refresh tokens, a positive
# integer expiresAt), else 0. The file is tokenised by grep (strings, punctuation, bare words)
# and walked by awk as JSON: a file that is not one well-formed JSON object gives 0, and only
# keys directly in the top-level "claudeAiOauth" object count (the last one wins, as in
# JSON.parse). Keys with escapes there are refused rather than guessed. Tokens are only
# tested for being non-empty; nothing but the expiry is printed.
usable_expiry() {
  [ "$(cred_kind "$1")" = file ] && [ -r "$1" ] || { echo 0; return; }
  expiry=$(json_login_expiry "$1")
  case "$expiry" in '' | *[!0-9]*) echo 0 ;; *) echo "$expiry" ;; esac
}

json_login_expiry() {
  grep -o -E '"([^"\\]|\\.)*"|[][{}:,]|[^][{}:,"[:space:]]+' "$1" 2>/dev/null | awk '
    function pop() {
      if (d == 2 && inlogin) { inlogin = 0; got = 1; facc = acc; fref = ref; fexp = expiry }
      d--
      st = (d == 0) ? "end" : "next"
    }
    BEGIN { st = "value"; d = 0; bad = 0; got = 0; first = "" }
    bad { next }
    {
      t = $0
      if (first == "") first = t
      if (st == "end") { bad = 1; next }
      if (st == "key0" && t == "}") { pop(); next }
      if (st == "key" || st == "key0") {
        if (substr(t, 1, 1) != "\"") { bad = 1; next }
        if (d <= 2 && index(t, "\\") > 0) { bad = 1; next }
        key[d] = t; st = "colon"; next
      }
      if (st == "colon") { if (t == ":") st = "value"; else bad = 1; next }
      if (st == "next") {
        if (t == ",") { st = (type[d] == "o") ? "key" : "value"; next }
        if ((t == "}" && type[d] == "o") || (t == "]" && type[d] == "a")) { pop(); next }
        bad = 1; next
      }
      # a value (st is "value" or "item0")
      if (st == "item0" && t == "]") { pop(); next }
      if (t == "{" || t == "[") {
        d++
        type[d] = (t == "{") ? "o" : "a"
        if (d == 2 && type[1] == "o" && key[1] == "\"claudeAiOauth\"") {
          got = 0
          if (t == "{") { inlogin = 1; acc = ""; ref = ""; expiry = "" }
        }
        st = (t == "{") ? "key0" : "item0"
        next
      }
      if (substr(t, 1, 1) != "\"" && t !~ /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ && t != "true" && t != "false" && t != "null") { bad = 1; next }
      if (d == 1 && key[1] == "\"claudeAiOauth\"") got = 0
      if (d == 2 && inlogin) {
        if (key[2] == "\"accessToken\"") acc = t
        else if (key[2] == "\"refreshToken\"") ref = t
        else if (key[2] == "\"expiresAt\"") expiry = t
      }
      st = (d == 0) ? "end" : "next"
    }
    END {
      ok = !bad && st == "end" && first == "{" && got
      ok = ok && facc ~ /^".+"$/ && fref ~ /^".+"$/ && fexp ~ /^[1-9][0-9]*$/
      print (ok ? fexp : 0)
    }'
}

is_regular_file() { [ -f "$1" ] && [ ! -L "$1" ]; }

is_linked() { [ -L "$LOCAL_CREDS" ] && [ "$(readlink "$LOCAL_CREDS")" = "$GLOBAL_CREDS" ]; }

is_signed_out() { [ -L "$LOCAL_CREDS" ] && [ "$(readlink "$LOCAL_CREDS")" = "$SIGNED_OUT_TARGET" ]; }

# Whether the global folder is a mount point (the volume), not the empty folder the image makes.
global_mounted() {
  [ -d "$GLOBAL_DIR" ] || return 1
  if [ -r /proc/self/mountinfo ]; then
    awk -v d="$GLOBAL_DIR" '$5 == d { found = 1 } END { exit !found }' /proc/self/mountinfo
  else
    [ "$(stat -c %d "$GLOBAL_DIR" 2>/dev/null)" != "$(stat -c %d "$GLOBAL_DIR/.." 2>/dev/null)" ]
  fi
}

# Why the shared file may not be read or replaced, or nothing when it may (missing or a regular file).
global_refusal() {
  case "$(cred_kind "$GLOBAL_CREDS")" in
    link) echo "the shared credentials file $GLOBAL_CREDS is a symbolic link; left as it is" ;;
    dir) echo "the shared credentials path $GLOBAL_CREDS is a directory; left as it is" ;;
    other) echo "the shared credentials path $GLOBAL_CREDS is not a regular file; left as it is" ;;
    large) echo "the shared credentials file $GLOBAL_CREDS is over 1 MiB; not read, left as it is" ;;
  esac
}

# Keeps only the newest few of a family of files named <prefix><UTC stamp>[-n].
prune() {
  # shellcheck disable=SC2012 # names are ours: no newlines
  ls -1d "$1"* 2>/dev/null | sort -r | tail -n +$(($2 + 1)) | while read -r old; do rm -f "$old"; done
}

# Keeps the shared file's current content as .credentials.json.bak-<stamp> (600), newest five kept.
backup_global() {
  [ -e "$GLOBAL_CREDS" ] || return 0
  bak="$GLOBAL_CREDS.bak-$(stamp)"
  [ -e "$bak" ] || [ -L "$bak" ] && bak="$bak-$$"
  tmp="$GLOBAL_DIR/.credentials.json.tmp-bak.$$"
  if cp "$GLOBAL_CREDS" "$tmp" 2>/dev/null && chmod 600 "$tmp" 2>/dev/null && mv -f "$tmp" "$bak" 2>/dev/null; then
    prune "$GLOBAL_CREDS.bak-" "$KEEP_BACKUPS"
    return 0
  fi
  rm -f "$tmp" 2>/dev/null
  return 1
}

# Puts a file into the global volume byte for byte, by rename (a new inode), the old content backed
# up first. Refuses when the shared path is not a regular file (or missing), or cannot be backed up.
replace_global() {
  [ -z "$(global_refusal)" ] || return 1
  backup_global || return 1
  tmp="$GLOBAL_DIR/.credentials.json.tmp.$$"
  if cp "$1" "$tmp" 2>/dev/null && chmod 600 "$tmp" 2>/dev/null && mv -f "$tmp" "$GLOBAL_CREDS" 2>/dev/null; then
    return 0
  fi
  rm -f "$tmp" 2>/dev/null
  return 1
}

# Replaces ~/.claude/.credentials.json with a link (to the shared file, or $1): made under a
# temporary name, then renamed over. Never into a directory that has the credentials' name.
make_link() {
  target="${1:-$GLOBAL_CREDS}"
  [ -d "$LOCAL_CREDS" ] && [ ! -L "$LOCAL_CREDS" ] && return 1
  tmp="$CLAUDE_DIR/.credentials.json.tmp-link.$$"
  rm -f "$tmp" 2>/dev/null
  if ln -s "$target" "$tmp" 2>/dev/null && mv -f "$tmp" "$LOCAL_CREDS" 2>/dev/null; then
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
  prune "$LOCAL_CREDS.rejected-" "$KEEP_REJECTED"
  return 0
}

# The signature of the last state the keeper could not settle: not tried (nor logged) again until it changes.
keeper_stuck=""

keeper_give_up() {
  [ "$1" = "$keeper_stuck" ] || clawker_log "keeper warning: $2"
  keeper_stuck="$1"
  return 1
}

keeper_pass() {
  local_kind=$(cred_kind "$LOCAL_CREDS")
  case "$local_kind" in
    missing)
      # Claude Code deleted it: a logout in this agent. It sticks, and is said once.
      if make_link "$SIGNED_OUT_TARGET"; then
        clawker_log "keeper: signed out in this agent; the shared login is left as it is and not relinked here"
      fi
      return 0
      ;;
    link) return 0 ;;
    large | dir | other)
      keeper_give_up "$local_kind $(stat -c '%i %s %Y' "$LOCAL_CREDS" 2>/dev/null)" \
        "this agent's credentials ($local_kind) are not a readable file under 1 MiB; left as they are"
      return 1
      ;;
  esac
  # Inode, size and mtime of both files: every save (a rename) makes a new inode.
  sig="$(stat -c '%i %s %Y' "$LOCAL_CREDS" 2>/dev/null) $(stat -c '%i %s %Y' "$GLOBAL_CREDS" 2>/dev/null)"
  [ -n "$keeper_stuck" ] && [ "$sig" = "$keeper_stuck" ] && return 0
  refusal=$(global_refusal)
  [ -z "$refusal" ] || keeper_give_up "$sig" "$refusal; this agent's login is kept as it is" || return 1
  if [ -e "$GLOBAL_CREDS" ] && cmp -s "$LOCAL_CREDS" "$GLOBAL_CREDS"; then
    : # the same login: only the link is missing
  else
    local_exp=$(usable_expiry "$LOCAL_CREDS")
    global_exp=$(usable_expiry "$GLOBAL_CREDS")
    if [ "$local_exp" -gt 0 ] && [ "$local_exp" -gt "$global_exp" ]; then
      replace_global "$LOCAL_CREDS" ||
        keeper_give_up "$sig" "could not write the global credentials; keeping this agent's login as it is" || return 1
      clawker_log "keeper pushed a newer login to the global volume expiresAt=$local_exp"
    else
      reason="older than the shared login"
      [ "$local_exp" -eq 0 ] && reason="blanked or unreadable"
      reject_local || keeper_give_up "$sig" "could not set aside a login that is $reason" || return 1
      clawker_log "keeper kept the global login; set aside a local one that is $reason"
    fi
  fi
  make_link || keeper_give_up "$sig" "could not restore the link" || return 1
  clawker_log "keeper restored the link"
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
