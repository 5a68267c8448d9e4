#!/usr/bin/env bash
# Installs each host app from the packed tarball alone, in a directory outside the repo, so
# nothing the repo has installed can stand in for what a user's app lacks; then builds it,
# starts it and drives the README's TOTP flow against it. Every host runs; any failure fails.
# Usage: run-hosts.sh ROOT TARBALL
set -uo pipefail
root="$(cd "$1" && pwd)"
tarball="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"
hosts="${MFA_HOSTS:-nest-session express-plain nest-jwt}"
max_mfa_lines=15 # the README's promise: adding MFA to an app is a handful of lines
work="$(mktemp -d)"
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

# better-sqlite3 takes the project's own native build, so no host compiles it again.
sqlite_build="$root/node_modules/better-sqlite3/build"
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

# The host's own output goes to a log, shown only when something fails.
run_host() {
  local name="$1" dir="$work/$1" log="$work/$1.log" port key started
  cp -r "$root/test/hosts/$name" "$dir"
  rm -rf "$dir/node_modules" "$dir/dist" "$dir"/*.sqlite
  local mfa_lines
  mfa_lines="$(cat "$dir"/src/*.ts | grep -c '// mfa$')"
  echo "-- $name: $mfa_lines lines marked // mfa"
  if [ "$mfa_lines" -gt "$max_mfa_lines" ]; then echo "$name: more than $max_mfa_lines MFA lines" >&2; return 1; fi
  # The README promises plain Express needs no reflect-metadata; a host that imports it proves nothing.
  if [[ "$name" == express-* ]] && grep -rq reflect-metadata "$dir/src" "$dir/package.json"; then
    echo "$name: imports reflect-metadata" >&2; return 1
  fi

  local t0=$SECONDS
  (cd "$dir" && npm install --no-audit --no-fund --prefer-offline --ignore-scripts "$tarball") >"$log" 2>&1 || { cat "$log" >&2; return 1; }
  cp -r "$sqlite_build" "$dir/node_modules/better-sqlite3/"
  (cd "$dir" && npx tsc -p tsconfig.json) >>"$log" 2>&1 || { echo "$name: tsc failed" >&2; cat "$log" >&2; return 1; }

  echo "   installed and built in $((SECONDS - t0)) s"
  port="$(free_port)"
  key="$(node -p "require('crypto').randomBytes(32).toString('base64')")"
  (cd "$dir" && exec env PORT="$port" MFA_KEY="$key" node dist/main.js) >"$work/$name.out" 2>&1 &
  pid=$!
  started=""
  for _ in $(seq 1 100); do
    if ! kill -0 "$pid" 2>/dev/null; then break; fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then started=1; break; fi
    sleep 0.2
  done
  local status=0
  if [ -z "$started" ]; then
    echo "$name: did not start listening on $port" >&2; status=1
  elif ! node "$root/test/hosts/drive.mjs" "http://127.0.0.1:$port"; then
    status=1
  fi
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; pid=""
  if [ "$status" -ne 0 ]; then echo "---- $name output" >&2; cat "$work/$name.out" >&2; echo "----" >&2; fi
  return "$status"
}

failed=()
start=$SECONDS
for name in $hosts; do
  run_host "$name" || failed+=("$name")
done
echo "hosts: $((SECONDS - start)) s"
if [ "${#failed[@]}" -ne 0 ]; then echo "hosts FAILED: ${failed[*]}" >&2; exit 1; fi
echo "hosts: ok ($hosts)"
