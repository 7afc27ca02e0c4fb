#!/bin/sh
# Prints the home of a Java 25 JDK: $JAVA_HOME when it is one, else the first /usr/lib/jvm/*25*.
set -eu
is_25() {
    [ -x "$1/bin/javac" ] && [ -f "$1/release" ] && grep -q '^JAVA_VERSION="25' "$1/release"
}
if [ -n "${JAVA_HOME:-}" ] && is_25 "$JAVA_HOME"; then
    echo "$JAVA_HOME"
    exit 0
fi
for dir in /usr/lib/jvm/*25*; do
    if is_25 "$dir"; then
        echo "$dir"
        exit 0
    fi
done
echo "find-jdk: no Java 25 JDK found (set JAVA_HOME, or install one under /usr/lib/jvm)" >&2
exit 1
