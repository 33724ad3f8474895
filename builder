#!/usr/bin/env bash
# The builder command, from a checkout: installs missing system packages once, rebuilds the CLI
# quietly when a source file changed, then runs it with your arguments.
set -euo pipefail
# This checkout, following a symlink (one put on PATH); no subprocess where there is none.
self=${BASH_SOURCE[0]}
if [ -L "$self" ]; then self=$(readlink -f "$self"); fi
case $self in */*) root=${self%/*} ;; *) root=. ;; esac

# System packages: checked again only once dpkg has installed or removed something since the last pass.
checked="$root/artifacts/.deps-checked"
if ! { [ -f "$checked" ] && [ -f /var/lib/dpkg/status ] && [ ! /var/lib/dpkg/status -nt "$checked" ] && command -v dotnet >/dev/null; }; then
  "$root/.ci/ensure-deps"
fi

# Published ReadyToRun (precompiled), which starts in about two thirds of the time of a plain build.
cli="$root/artifacts/cli"
stamp="$root/artifacts/.builder-cli-stamp"
if [ ! -f "$cli/Builder.Cli.dll" ] || [ ! -f "$stamp" ] || [ -n "$(find "$root/src" "$root"/Directory.*.props -newer "$stamp" \
     \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' \) -print -quit 2>/dev/null)" ]; then
  log=$(mktemp)
  if ! dotnet publish "$root/src/Builder.Cli/Builder.Cli.csproj" -c Release --use-current-runtime --self-contained false \
       -p:PublishReadyToRun=true -o "$cli" --nologo -v q >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "builder: building the CLI failed" >&2
    exit 2
  fi
  rm -f "$log"
  touch "$stamp"
fi

exec dotnet "$cli/Builder.Cli.dll" "$@"
