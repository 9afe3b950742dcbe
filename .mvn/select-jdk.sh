# Sourced by ./mvnw and ./integrity: points JAVA_HOME at a JDK 21 or newer.
# Order: JAVA_HOME, the java on the PATH, then installed JDKs (newest first).
# Sets IR_JAVA_MAJOR to its feature version. Prints what to install and returns 1 when none is found.

_ir_java_major() { # $1 = java binary; prints its feature version (17, 21, 25...)
  "$1" -XshowSettings:properties -version 2>&1 |
    sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

_ir_jdk_ok() { # $1 = candidate JAVA_HOME
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 1
  _ir_v=$(_ir_java_major "$1/bin/java")
  [ -n "$_ir_v" ] && [ "$_ir_v" -ge 21 ]
}

ir_select_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && _ir_jdk_ok "$JAVA_HOME"; then IR_JAVA_MAJOR=$_ir_v; export JAVA_HOME; return 0; fi
  if command -v javac >/dev/null 2>&1; then
    _ir_home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if _ir_jdk_ok "$_ir_home"; then IR_JAVA_MAJOR=$_ir_v; JAVA_HOME=$_ir_home; export JAVA_HOME; return 0; fi
  fi
  _ir_best=; _ir_best_v=0
  case $- in *f*) _ir_noglob=1; set +f ;; *) _ir_noglob= ;; esac
  for _ir_c in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "${HOME:-/nonexistent}"/.sdkman/candidates/java/* \
    /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [ -d "$_ir_c" ] || continue
    if _ir_jdk_ok "$_ir_c" && [ "$_ir_v" -gt "$_ir_best_v" ]; then _ir_best=$_ir_c; _ir_best_v=$_ir_v; fi
  done
  [ -n "$_ir_noglob" ] && set -f
  if [ -n "$_ir_best" ]; then IR_JAVA_MAJOR=$_ir_best_v; JAVA_HOME=$_ir_best; export JAVA_HOME; return 0; fi
  echo "Integrity Runner needs a JDK 21 or newer, and none was found (JAVA_HOME, PATH, /usr/lib/jvm)." >&2
  echo "Install one (e.g. 'apt-get install openjdk-21-jdk' or Temurin 21) or set JAVA_HOME to it." >&2
  return 1
}
