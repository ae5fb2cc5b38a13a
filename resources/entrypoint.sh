#!/bin/sh
# Clawker agent entrypoint. POSIX sh (busybox sh, dash, bash).
#
# When the global volume is mounted at ~/.clawker-globals it makes
# ~/.claude/.credentials.json a link to the one shared login there, without ever
# deleting the only copy of a credential:
#   0. chmod 700 the global folder;
#   1. migrate: a local login and none shared yet -> copy it there (kept locally if that fails);
#      a local login that differs from the shared one -> kept as .credentials.json.bak-<stamp>,
#      and, when it is a newer usable login, pushed to the global volume (the keeper's rule,
#      the shared file backed up first);
#   2. link, atomically, when the migration went well or a shared login exists (fatal if impossible);
#      an agent signed out inside (the keeper's marker link) stays signed out;
#   3. chmod 600 the shared credentials (never through a link);
#   4. signal readiness (/var/run/clawker/ready and a "[clawker] ready" line);
#   5. start the credential keeper in the background and hand over to the command.
# Only claudeAiOauth decides what is usable and newer; files are copied whole. Files over 1 MiB,
# links planted in the global volume and directories with the credentials' name are reported
# and left as they are.
# With CLAUDE_CONFIG_DIR set (Claude Code then keeps .claude.json there), a ~/.claude.json left
# in the image layer (agents made by the clawker CLI) is copied in once, never overwritten.

HOME="${HOME:-/home/claude}"
export HOME
script_dir=$(dirname "$0")
keeper="${CLAWKER_KEEPER_SCRIPT:-$script_dir/keeper.sh}"

if [ -r "$keeper" ]; then
  CLAWKER_KEEPER_LIB=1 . "$keeper"
else
  echo "[clawker] error component=credentials msg=keeper.sh not found at $keeper" >&2
  exit 1
fi

fail() {
  clawker_log "error component=credentials msg=$*"
  exit 1
}

warn() { clawker_log "warning component=credentials msg=$*"; }

settle_credentials() {
  chmod 700 "$GLOBAL_DIR" 2>/dev/null || warn "could not chmod 700 $GLOBAL_DIR"

  # A large shared file is only not read (linking to it changes nothing); anything else but a
  # regular file there is not linked to either.
  refusal=$(global_refusal)
  linkable=true
  case "$(cred_kind "$GLOBAL_CREDS")" in
    large) warn "$refusal" ;;
    link | dir | other)
      clawker_log "error component=credentials msg=$refusal; not linked"
      linkable=false
      ;;
  esac
  local_kind=$(cred_kind "$LOCAL_CREDS")
  migration_ok=true
  case "$local_kind" in
    dir | other) fail "$LOCAL_CREDS is not a file or a link; not linked, left as it is" ;;
    large)
      warn "$LOCAL_CREDS is over 1 MiB; not read, left as it is"
      migration_ok=false
      ;;
    file)
      if [ -n "$refusal" ]; then
        migration_ok=false
      elif [ ! -e "$GLOBAL_CREDS" ]; then
        if replace_global "$LOCAL_CREDS"; then
          clawker_log "migrated this agent's credentials into the global volume"
        else
          warn "could not copy credentials into the global volume; keeping the local copy"
          migration_ok=false
        fi
      elif cmp -s "$LOCAL_CREDS" "$GLOBAL_CREDS"; then
        : # the same login: linking loses nothing
      else
        backup="$LOCAL_CREDS.bak-$(stamp)"
        if cp -p "$LOCAL_CREDS" "$backup" 2>/dev/null && chmod 600 "$backup" 2>/dev/null; then
          clawker_log "kept this agent's own credentials as $(basename "$backup")"
          if [ "$(usable_expiry "$LOCAL_CREDS")" -gt "$(usable_expiry "$GLOBAL_CREDS")" ]; then
            if replace_global "$LOCAL_CREDS"; then
              clawker_log "pushed this agent's newer login to the global volume (the previous one kept as a backup there)"
            else
              warn "could not push this agent's newer login to the global volume; keeping it locally"
              migration_ok=false
            fi
          fi
        else
          warn "could not back up this agent's credentials; keeping them as they are"
          migration_ok=false
        fi
      fi
      ;;
  esac

  if is_linked; then
    : # already linked: nothing to do
  elif is_signed_out; then
    clawker_log "signed out in this agent; not linked to the shared login (log in here, or relink it from the app)"
  elif [ "$migration_ok" = true ] && [ "$linkable" = true ]; then
    # Not when a local login could not be put in safety: it stays the agent's own until it can be.
    make_link || fail "could not link $LOCAL_CREDS to $GLOBAL_CREDS"
    clawker_log "linked credentials to the global volume"
  fi

  # A regular file only: chmod follows links, and one planted here could point anywhere.
  if [ -f "$GLOBAL_CREDS" ] && [ ! -L "$GLOBAL_CREDS" ]; then
    chmod 600 "$GLOBAL_CREDS" 2>/dev/null || warn "could not chmod 600 $GLOBAL_CREDS"
  fi
}

# Claude Code keeps .claude.json in CLAUDE_CONFIG_DIR when it is set: the config volume.
adopt_claude_json() {
  [ -n "${CLAUDE_CONFIG_DIR:-}" ] && [ "$CLAUDE_CONFIG_DIR" != "$HOME" ] || return 0
  from="$HOME/.claude.json"
  to="$CLAUDE_CONFIG_DIR/.claude.json"
  is_regular_file "$from" && [ ! -e "$to" ] && [ ! -L "$to" ] || return 0
  if cp -p "$from" "$to" 2>/dev/null; then
    clawker_log "copied $from into $CLAUDE_CONFIG_DIR"
  else
    clawker_log "warning component=config msg=could not copy $from into $CLAUDE_CONFIG_DIR"
  fi
}

signal_ready() {
  ts=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  # Best effort: an image without a writable /var/run/clawker still starts.
  { mkdir -p /var/run/clawker && echo "$ts" > /var/run/clawker/ready; } 2>/dev/null ||
    clawker_log "warning component=ready msg=/var/run/clawker is not writable"
  clawker_log "ready ts=$ts agent=${CLAWKER_AGENT:-}"
}

adopt_claude_json
if global_mounted; then
  settle_credentials
  with_keeper=true
else
  clawker_log "global volume not mounted at $GLOBAL_DIR; credentials left as they are"
  with_keeper=false
fi
signal_ready

if [ "$with_keeper" = true ] && [ "${CLAWKER_KEEPER_INTERVAL:-2}" != 0 ]; then
  # $$ stays the main process's PID across exec: the keeper ends when it does.
  sh "$keeper" --watch "$$" < /dev/null > /dev/null &
fi

# claude is the command unless one is given; options alone are claude's.
if [ $# -eq 0 ]; then
  set -- claude
elif [ "${1#-}" != "$1" ] || ! command -v "$1" > /dev/null 2>&1; then
  set -- claude "$@"
fi
exec "$@"
