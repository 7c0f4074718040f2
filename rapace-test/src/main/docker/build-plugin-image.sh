#!/usr/bin/env bash
# Builds a container image for a rapace plugin jar from what this machine has, with no image registry:
# a jlinked Java runtime, the shared libraries ldd names for it, and the jar, as one root file system that
# `docker import` turns into an image. The image's entrypoint is `java ... -jar /app/plugin.jar`; the host
# appends the segment path (`--shm-path=PATH`) as the container's command (docs/containers.md).
#
#   build-plugin-image.sh JAR TAG [WORK_DIR]
#
# WORK_DIR (default: the jar's directory/plugin-image) caches the runtime (runtime.tar, rebuilt only when the
# JDK or the module list changes). The image is re-imported only when the jar changed (label rapace.jar.sha256).
# Without a reachable Docker engine it prints why and exits 0 (the container tests then skip themselves).
# JAVA_HOME names the JDK to jlink from (default: the java on PATH).
set -euo pipefail

if [ $# -lt 2 ]; then
  echo "usage: $0 JAR TAG [WORK_DIR]" >&2
  exit 2
fi
jar=$(realpath "$1")
tag=$2
work=${3:-$(dirname "$jar")/plugin-image}

if [ ! -f "$jar" ]; then
  echo "build-plugin-image: no jar at $jar" >&2
  exit 2
fi
if ! command -v docker > /dev/null || ! docker info > /dev/null 2>&1; then
  echo "build-plugin-image: no Docker engine reachable (docker info failed): image $tag not built;" \
    "container tests will be skipped"
  exit 0
fi

jdk=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
# What a Spring Boot plugin on the starter needs: java.desktop for java.beans (Spring's bean introspection),
# java.management and jdk.management for JMX and the JVM meters, java.naming and java.sql for classes Spring
# and Jackson link against, jdk.unsupported for sun.misc.Unsafe, jdk.crypto.ec and jdk.charsets for TLS and
# charsets a plugin may use, jdk.zipfs for nested jars. Override with RAPACE_IMAGE_MODULES.
modules=${RAPACE_IMAGE_MODULES:-java.base,java.desktop,java.instrument,java.logging,java.management,java.naming,java.net.http,java.prefs,java.scripting,java.security.jgss,java.sql,java.transaction.xa,java.xml,jdk.charsets,jdk.crypto.ec,jdk.jfr,jdk.management,jdk.unsupported,jdk.zipfs}
mkdir -p "$work"
runtime_key="$("$jdk/bin/java" -version 2>&1 | head -1) | $modules | $(uname -m)"

if [ ! -f "$work/runtime.tar" ] || [ "$(cat "$work/runtime.key" 2>/dev/null)" != "$runtime_key" ]; then
  echo "build-plugin-image: jlinking a runtime ($modules) from $jdk"
  root="$work/rootfs"
  rm -rf "$root" "$work/runtime.tar"
  mkdir -p "$root/opt" "$root/app" "$root/tmp" "$root/etc"
  chmod 1777 "$root/tmp"
  "$jdk/bin/jlink" --add-modules "$modules" --output "$root/opt/java" --strip-debug --no-header-files \
    --no-man-pages --generate-cds-archive --compress=zip-6
  # A plugin is headless: no window, sound or splash-screen libraries (nor the X11 libraries they would pull
  # in); no CDS archive for heaps above 32 GiB.
  rm -f "$root"/opt/java/lib/{libawt_xawt.so,libjawt.so,libsplashscreen.so,libjsound.so} \
    "$root/opt/java/lib/server/classes_nocoops.jsa"
  # Every shared library a binary or library of the runtime needs, at the path the loader looks for it.
  find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
    | xargs -0 ldd 2>/dev/null | grep -o '/[^ ]*' | grep -v "^$root" | sort -u \
    | while read -r lib; do
        if [ -e "$lib" ]; then
          mkdir -p "$root$(dirname "$lib")"
          cp -L "$lib" "$root$lib"
        fi
      done
  # A user table, so that the JVM and tools can name the ids a host passes with --user.
  printf 'root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n' \
    > "$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' > "$root/etc/group"
  tar -C "$root" -cf "$work/runtime.tar.part" .
  mv "$work/runtime.tar.part" "$work/runtime.tar"
  echo "$runtime_key" > "$work/runtime.key"
  rm -rf "$root"
fi

sum=$(sha256sum "$jar" | cut -d' ' -f1)
if [ "$(docker image inspect -f '{{index .Config.Labels "rapace.jar.sha256"}}' "$tag" 2>/dev/null)" = "$sum" ]; then
  echo "build-plugin-image: $tag is up to date with $jar"
  exit 0
fi

# The runtime tarball plus the jar at /app/plugin.jar.
cp "$work/runtime.tar" "$work/image.tar"
mkdir -p "$work/app-layer/app"
cp "$jar" "$work/app-layer/app/plugin.jar"
tar -C "$work/app-layer" -rf "$work/image.tar" ./app/plugin.jar
rm -rf "$work/app-layer"
old=$(docker image inspect -f '{{.Id}}' "$tag" 2>/dev/null || true)
docker import \
  --change 'ENTRYPOINT ["/opt/java/bin/java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-jar", "/app/plugin.jar"]' \
  --change 'WORKDIR /tmp' \
  --change 'ENV LANG=C.UTF-8' \
  --change "LABEL rapace.jar.sha256=$sum" \
  --change "LABEL rapace.jar=$(basename "$jar")" \
  "$work/image.tar" "$tag" > /dev/null
rm -f "$work/image.tar"
# The image the tag named before, now untagged: removed unless a container still uses it.
if [ -n "$old" ] && [ "$old" != "$(docker image inspect -f '{{.Id}}' "$tag")" ]; then
  docker rmi "$old" > /dev/null 2>&1 || true
fi
echo "build-plugin-image: built $tag ($(docker image inspect -f '{{.Size}}' "$tag") bytes) from $jar"
