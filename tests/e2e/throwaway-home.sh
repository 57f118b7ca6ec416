# Sourced by the scripts that run the real app (window tests, screenshots, the launch
# benchmark): nothing of the developer's home, keyring or app data is touched.

# Points HOME, the XDG folders and the app's data folder into $1 (created, made readable for
# the app's child processes).
throwaway_home() {
  local work=$1
  chmod 755 "$work"
  export HOME="$work/home" XDG_RUNTIME_DIR="$work/run"
  export XDG_DATA_HOME="$HOME/.local/share" XDG_CONFIG_HOME="$HOME/.config" XDG_CACHE_HOME="$HOME/.cache"
  export INDEXPILOT_DATA_DIR="$work/app"
  mkdir -p "$HOME" "$XDG_RUNTIME_DIR"
  chmod 700 "$XDG_RUNTIME_DIR"
}

# A login keyring created and unlocked without a prompt (password $1): the app's passwords
# go there. Needs the session bus the caller runs in (dbus-run-session).
unlock_keyring() {
  printf '%s' "$1" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
}
