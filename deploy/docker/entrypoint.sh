#!/usr/bin/env bash
# Entrypoint of the Integrity Runner image (installed as /opt/integrity/entrypoint.sh, next to
# integrity.jar). The image carries no config of its own: a forgotten mount must stop the
# container at once, not serve a stand-in that fails every night. So:
#   - every `--config FILE` must be a readable file, else this prints what to mount and exits 64
#     (the contract's usage/configuration error);
#   - `demo` is the explicit way to try the bundled demo (a simulated base, no Airtable token);
#     its dashboard listens on 0.0.0.0 in the container, so it needs INTEGRITY_API_TOKEN too;
#   - anything else goes to `integrity` unchanged.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
jar="$here/integrity.jar"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jvm=(--enable-native-access=ALL-UNNAMED -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError)
image=integrity-runner
usage=64

if [ "${1:-}" = demo ]; then
  if [ -z "${INTEGRITY_API_TOKEN:-}" ]; then
    cat >&2 <<MSG
integrity: the demo's dashboard listens on 0.0.0.0 in the container, which needs an API token.
  docker run --rm -p 8080:8080 -e INTEGRITY_API_TOKEN=pick-a-long-token $image demo
then open http://localhost:8080 and log in with any user name and that token.
MSG
    exit $usage
  fi
  shift
  exec "$java" "${jvm[@]}" -jar "$jar" demo --host 0.0.0.0 "$@"
fi

missing=()
prev=
for arg in "$@"; do
  config=
  if [ "$prev" = --config ]; then
    config=$arg
  elif [[ $arg == --config=* ]]; then
    config=${arg#--config=}
  fi
  if [ -n "$config" ] && ! [ -f "$config" -a -r "$config" ]; then
    missing+=("$config")
  fi
  prev=$arg
done
if [ ${#missing[@]} -gt 0 ]; then
  for config in "${missing[@]}"; do
    if [ -d "$config" ]; then
      # docker run -v makes a directory at the mount point when the host file does not exist.
      echo "integrity: $config is a directory, not a config: the host file given to -v is missing." >&2
    else
      echo "integrity: no config at $config: the image carries none, mount yours there." >&2
    fi
  done
  first=${missing[0]}
  cat >&2 <<MSG
For example, with integrity.yml in the current directory (\`integrity init --base app... --out
integrity.yml\` writes a starter) and the store on a named volume:
  docker run -d -p 8080:8080 -v "\$PWD/integrity.yml:$first:ro" -v integrity-data:/var/lib/integrity \\
    -e AIRTABLE_TOKEN -e INTEGRITY_API_TOKEN $image
To try the bundled demo instead (a simulated base, no Airtable token needed):
  docker run --rm -p 8080:8080 -e INTEGRITY_API_TOKEN=pick-a-long-token $image demo
MSG
  exit $usage
fi

exec "$java" "${jvm[@]}" -jar "$jar" "$@"
