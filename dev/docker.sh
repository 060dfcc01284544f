#!/usr/bin/env bash
# The Docker deployment (docker/) built, started and tested on this machine, for `make test-docker`.
#   dev/docker.sh bootstrap   the engine (Debian's docker.io, dockerd started when not running), the
#                             base image debian:bookworm-slim (debootstrap + docker import when it
#                             is missing: Docker Hub is not reachable here) and `docker compose` v2
#                             (built from its Go module when missing, kept in ~/.docker/cli-plugins)
#   dev/docker.sh build       bootstrap, then build the images (docker compose build)
#   dev/docker.sh test [ARGS] build, then every test of tests/docker (pytest ARGS), live ones included
#   dev/docker.sh clean       remove the test stacks (containers, volumes) and the build cache
#   dev/docker.sh sizes       the images and their sizes
# Registries are reached over HTTPS from inside the builds; where a TLS-inspecting proxy signs
# them (as here), the host's CA bundle is handed to the build as a BuildKit secret (GIFU_BUILD_CA,
# default /etc/ssl/certs/ca-certificates.crt): used by pip, npm and Maven while they download,
# never written into an image layer.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
STATE="$ROOT/.dev/docker"
COMPOSE_VERSION="${GIFU_COMPOSE_VERSION:-v2.40.3}"
DEBIAN_MIRROR="${GIFU_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# Heavy steps yield to everything else on the machine.
LOW=(nice -n 19 ionice -c3)

say() { printf '[docker] %s\n' "$*"; }
die() { printf '[docker] error: %s\n' "$*" >&2; exit 1; }
seconds_since() { echo $(( $(date +%s) - $1 )); }
timing() { mkdir -p "$STATE"; printf '%s %s\n' "$1" "$2" >> "$STATE/timings.txt"; say "$1: ${2}s"; }

apt_install() {
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive "${LOW[@]}" apt-get install -y -qq "$@" >/dev/null
}

engine() {
  local t0; t0=$(date +%s)
  if ! command -v dockerd >/dev/null || ! command -v debootstrap >/dev/null; then
    say "installing docker.io and debootstrap (Debian packages)"
    apt_install docker.io debootstrap
  fi
  if ! docker info >/dev/null 2>&1; then
    say "starting dockerd (low CPU and I/O priority; log: /var/log/gifu-dockerd.log)"
    # No systemd here: dockerd runs in the background and starts its own containerd.
    nohup "${LOW[@]}" dockerd >/var/log/gifu-dockerd.log 2>&1 &
    echo $! > "$STATE.dockerd.pid"
    local _
    for _ in $(seq 60); do docker info >/dev/null 2>&1 && break; sleep 1; done
    docker info >/dev/null 2>&1 || die "dockerd did not start (see /var/log/gifu-dockerd.log)"
  fi
  timing engine "$(seconds_since "$t0")"
}

# debian:bookworm-slim as the official image is made: debootstrap's minbase variant of bookworm,
# apt sources for bookworm, -updates and -security, no documentation, no package lists.
base() {
  if docker image inspect debian:bookworm-slim >/dev/null 2>&1; then
    say "base image debian:bookworm-slim is present"
    return 0
  fi
  if docker pull debian:bookworm-slim >/dev/null 2>&1; then
    say "pulled debian:bookworm-slim"
    return 0
  fi
  local t0 rootfs; t0=$(date +%s)
  rootfs="$(mktemp -d /tmp/gifu-rootfs.XXXXXX)"
  say "bootstrapping debian:bookworm-slim with debootstrap (Docker Hub is not reachable)"
  "${LOW[@]}" debootstrap --variant=minbase bookworm "$rootfs" "$DEBIAN_MIRROR" >"$STATE-debootstrap.log" 2>&1 \
    || { rm -rf "$rootfs"; die "debootstrap failed (see $STATE-debootstrap.log)"; }
  rm -f "$rootfs/etc/apt/sources.list"
  cat > "$rootfs/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $DEBIAN_MIRROR
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: ${DEBIAN_MIRROR%/debian}/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  cat > "$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
  cat > "$rootfs/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
  printf 'Acquire::Languages "none";\n' > "$rootfs/etc/apt/apt.conf.d/docker-no-languages"
  printf 'APT::AutoRemove::SuggestsImportant "false";\n' > "$rootfs/etc/apt/apt.conf.d/docker-autoremove-suggests"
  find "$rootfs/usr/share/doc" -mindepth 2 -not -name copyright -not -type d -delete 2>/dev/null || true
  rm -rf "$rootfs"/usr/share/{man,info,groff,lintian,linda}/* "$rootfs"/var/lib/apt/lists/* \
         "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/log/*.log
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
  tar -C "$rootfs" -c . | docker import --change 'CMD ["bash"]' \
    --message "debootstrap --variant=minbase bookworm ($DEBIAN_MIRROR)" - debian:bookworm-slim >/dev/null
  rm -rf "$rootfs"
  timing base-image "$(seconds_since "$t0")"
}

compose_plugin() {
  if docker compose version >/dev/null 2>&1; then
    say "$(docker compose version)"
    return 0
  fi
  command -v go >/dev/null || PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null || die "docker compose v2 is missing and there is no Go toolchain to build it"
  local t0 src build; t0=$(date +%s)
  say "building docker compose $COMPOSE_VERSION from its Go module (a few minutes)"
  # `go install ...@version` refuses modules with exclude directives: build inside a copy.
  src="$(go mod download -json "github.com/docker/compose/v2@$COMPOSE_VERSION" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  [ -d "$src" ] || die "go mod download of compose $COMPOSE_VERSION failed"
  build="$(mktemp -d /tmp/gifu-compose.XXXXXX)"
  cp -r "$src/." "$build" && chmod -R u+w "$build"
  mkdir -p "$HOME/.docker/cli-plugins"
  (cd "$build" && CGO_ENABLED=0 "${LOW[@]}" go build -trimpath \
      -ldflags "-s -w -X github.com/docker/compose/v2/internal.Version=$COMPOSE_VERSION" \
      -o "$HOME/.docker/cli-plugins/docker-compose" ./cmd)
  rm -rf "$build"
  docker compose version >/dev/null || die "the built docker compose does not run"
  timing compose-build "$(seconds_since "$t0")"
}

# docker/ckan/requirements.txt: every Python package of the CKAN image, pinned. Resolved in a
# container of the image's base for CKAN 2.12, the suite's production extras, uWSGI and
# ckanext-envvars, constrained to the versions `make test` runs with (.venv) where they overlap.
lock() {
  [ -x .venv/bin/pip ] || die "run 'make venv' first: the lock follows the tested .venv"
  local work; work="$(mktemp -d /tmp/gifu-lock.XXXXXX)"
  .venv/bin/pip freeze --all --exclude-editable | grep -v -i -E '^(ckanext-gifu-suite|pip)==' > "$work/tested.txt"
  git archive HEAD setup.py pyproject.toml README.md ckanext-gifu ckanext-optout ckanext-anonymize ckanext-jatext \
    | tar -x -C "$work" --one-top-level=src
  cp docker/ckan/Dockerfile "$work/Dockerfile.ref"
  local uwsgi envvars
  uwsgi="$(sed -n 's/^ARG UWSGI_VERSION=//p' docker/ckan/Dockerfile)"
  envvars="$(sed -n 's/^ARG ENVVARS_VERSION=//p' docker/ckan/Dockerfile)"
  say "resolving the CKAN image's Python packages (uwsgi $uwsgi, ckanext-envvars $envvars)"
  "${LOW[@]}" docker run --rm -v "$work:/work" -v "${GIFU_BUILD_CA:-/etc/ssl/certs/ca-certificates.crt}:/ca.pem:ro" \
    -e PIP_CERT=/ca.pem -e PIP_DISABLE_PIP_VERSION_CHECK=1 debian:bookworm-slim bash -euc "
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        python3 python3-venv python3-dev gcc libc6-dev libpq-dev >/dev/null
      python3 -m venv /venv
      /venv/bin/pip install -q 'pip==$(sed -n 's/^ARG PIP_VERSION=//p' docker/ckan/Dockerfile)'
      /venv/bin/pip install -q -c /work/tested.txt 'ckan[requirements]==2.12.0' \
        '/work/src[gifu,optout,anonymize]' 'uwsgi==$uwsgi' 'ckanext-envvars==$envvars'
      /venv/bin/pip check
      { echo '# The CKAN image'\''s Python packages (dev/docker.sh lock; do not edit by hand).'
        /venv/bin/pip freeze --all | grep -v -i -E '^(ckanext-gifu-suite|pip)( |==|@)'; } > /work/requirements.txt"
  cp "$work/requirements.txt" docker/ckan/requirements.txt
  rm -rf "$work"
  say "wrote docker/ckan/requirements.txt ($(grep -c '==' docker/ckan/requirements.txt) packages)"
}

bootstrap() {
  mkdir -p "$STATE"
  engine
  base
  compose_plugin
}

# The compose command of the builds: docker/compose.yml, the build CA secret, and with
# GIFU_DOCKER_SOURCE=head the source override below.
compose() {
  local extra=()
  [ "${GIFU_DOCKER_SOURCE:-worktree}" = worktree ] || extra=(-f "$STATE/source.yml")
  docker compose --project-directory docker -f docker/compose.yml -f tests/docker/compose.build-ca.yml "${extra[@]}" "$@"
}

# GIFU_DOCKER_SOURCE=head (or a commit): build the suite as committed (HEAD: what CI builds from a
# fresh clone) with docker/ as it is in the working tree, so that uncommitted work elsewhere in the
# repository does not end up in the images under test. Default (worktree): the working tree, as an
# operator's `docker compose build` does.
source_snapshot() {
  local rev="${GIFU_DOCKER_SOURCE:-worktree}"
  [ "$rev" = worktree ] && return 0
  [ "$rev" = head ] && rev=HEAD
  local dir="$STATE/source"
  rm -rf "$dir" && mkdir -p "$dir"
  git archive "$rev" | tar -x -C "$dir"
  rm -rf "$dir/docker" && cp -a docker "$dir/docker"
  rm -f "$dir/docker/.env"
  {
    echo "# dev/docker.sh (GIFU_DOCKER_SOURCE=$rev): the images built from $dir"
    echo "services:"
    for service in ckan worker scheduler solr; do
      printf '  %s:\n    build:\n      context: %s\n' "$service" "$dir"
    done
  } > "$STATE/source.yml"
  say "building the suite from $rev ($(git rev-parse --short "$rev")) with the working tree's docker/"
}

build() {
  bootstrap
  local t0 pid status=0; t0=$(date +%s)
  # Any complete env file will do for building: the values are not part of the images.
  [ -s "$STATE/build.env" ] || bash docker/gen-env.sh --force --output "$STATE/build.env" >/dev/null
  export GIFU_BUILD_CA="${GIFU_BUILD_CA:-/etc/ssl/certs/ca-certificates.crt}"
  source_snapshot
  # compose builds the services ckan depends on first; the CKAN image (the long one) is built
  # beside them instead. worker and scheduler run the same image.
  say "building the images (docker compose build; logs in $STATE/build-*.log)"
  compose --env-file "$STATE/build.env" -p gifu-build build --progress plain "$@" ckan >"$STATE/build-ckan.log" 2>&1 &
  pid=$!
  compose --env-file "$STATE/build.env" -p gifu-build build --progress plain "$@" nginx db redis solr \
    >"$STATE/build-services.log" 2>&1 || status=$?
  wait "$pid" || status=$?
  rm -rf "$STATE/source"
  if [ "$status" != 0 ]; then
    tail -n 40 "$STATE/build-services.log" "$STATE/build-ckan.log" >&2
    die "docker compose build failed"
  fi
  timing images-build "$(seconds_since "$t0")"
  sizes
}

sizes() {
  docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E '^(gifu-opendata/|debian:bookworm-slim)' | sort
}

# Containers, networks and volumes of the test stacks, and what builds leave behind (dangling
# images, build cache older than a week: pip's and Maven's download caches stay warm).
clean() {
  local project
  for project in $(docker compose ls -a --format json 2>/dev/null | python3 -c \
      'import json,sys; print(" ".join(p["Name"] for p in json.load(sys.stdin) if p["Name"].startswith("gifu-test")))'); do
    say "removing the test stack $project"
    docker compose -p "$project" down -v --remove-orphans >/dev/null 2>&1 || true
  done
  # volumes of test stacks that were already down (compose ls no longer lists them)
  docker volume ls --format '{{.Name}} {{.Label "com.docker.compose.project"}}' \
    | awk '$2 ~ /^gifu-test/ { print $1 }' | xargs -r docker volume rm >/dev/null
  docker image prune -f >/dev/null
  docker builder prune -f --filter until=168h >/dev/null
}

# The whole of tests/docker: the static checks, what `docker compose config` renders, then the live
# stacks (GIFU_DOCKER_TESTS=1 un-skips the tests marked `docker`).
test_docker() {
  local t_all status=0 t0; t_all=$(date +%s)
  build
  t0=$(date +%s)
  say "tests: pytest tests/docker $*"
  GIFU_DOCKER_TESTS=1 GIFU_BUILD_CA="${GIFU_BUILD_CA:-/etc/ssl/certs/ca-certificates.crt}" \
    .venv/bin/python -m pytest -p no:ckan -p no:ckan_fixtures tests/docker "$@" || status=$?
  timing live-tests "$(seconds_since "$t0")"
  [ "${GIFU_DOCKER_KEEP:-0}" = 1 ] || clean
  timing test-docker "$(seconds_since "$t_all")"
  return $status
}

case "${1:-}" in
  build) shift; build "$@" ;;
  test) shift; test_docker "$@" ;;
  clean) clean ;;
  sizes) sizes ;;
  engine) mkdir -p "$STATE"; engine ;;
  base) mkdir -p "$STATE"; base ;;
  compose) mkdir -p "$STATE"; compose_plugin ;;
  bootstrap) bootstrap ;;
  lock) lock ;;
  *) echo "usage: $0 bootstrap|build|test [pytest args]|clean|sizes" >&2; exit 2 ;;
esac
