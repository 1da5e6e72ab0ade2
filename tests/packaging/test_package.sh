#!/usr/bin/env bash
# Builds the Debian package and the tarball with CPack, checks what they contain, unpacks the
# package into a scratch root (dpkg -x) and runs the installed game from there as an ordinary user
# (nobody, when the test runs as root): --version, --check-content, --list-sensors and a short
# headless --demo. Then desktop-file-validate, appstreamcli validate and lintian.
#
# Usage: test_package.sh BUILD_DIR SOURCE_DIR
# Exit: 0 passed; 1 failed; 77 skipped (a tool is missing: says which, after running the rest).
set -uo pipefail
build=$1
source=$2
start=$SECONDS

failures=0
skipped=()
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
ok() { echo "ok: $*"; }
skip() { echo "SKIP: $*"; skipped+=("$1"); }
have() { command -v "$1" >/dev/null 2>&1; }

for tool in cpack dpkg-deb dpkg-shlibdeps tar; do
    if ! have "$tool"; then
        echo "SKIP: $tool is not installed (Debian: dpkg-dev, cmake); the package cannot be built"
        exit 77
    fi
done
if [ ! -f "$build/CPackConfig.cmake" ]; then
    echo "FAIL: $build/CPackConfig.cmake is missing (packaging/ not configured?)"
    exit 1
fi

scratch=$(mktemp -d "${TMPDIR:-/tmp}/qv-package.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
chmod 0755 "$scratch"

# --- Build the packages ---------------------------------------------------------------------
if ! cpack --config "$build/CPackConfig.cmake" -G "DEB;TGZ" -B "$scratch/out" >"$scratch/cpack.log" 2>&1; then
    cat "$scratch/cpack.log"
    echo "FAIL: cpack"
    exit 1
fi
deb=$(ls "$scratch"/out/quadventure_*.deb 2>/dev/null | head -n 1)
tgz=$(ls "$scratch"/out/quadventure-*.tar.gz 2>/dev/null | head -n 1)
[ -n "$deb" ] || { cat "$scratch/cpack.log"; echo "FAIL: no .deb was made"; exit 1; }
[ -n "$tgz" ] || fail "no .tar.gz was made"
ok "cpack made $(basename "$deb") and $(basename "${tgz:-no tarball}") ($((SECONDS - start)) s)"

# --- What the package declares and holds ---------------------------------------------------
echo "--- dpkg-deb --info"
dpkg-deb --field "$deb"
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = quadventure ] || fail "Package is '$(field Package)'"
[ "$(field Section)" = games ] || fail "Section is '$(field Section)', not games"
version=$(field Version)
depends=$(field Depends)
for dep in fonts-dejavu-core libsdl2-2.0-0 libsdl2-ttf-2.0-0 libsqlite3-0 libc6; do
    [[ "$depends" == *"$dep"* ]] || fail "Depends lacks $dep: $depends"
done

dpkg-deb --contents "$deb" >"$scratch/contents.txt"
app=io.github.quadventure.Quadventure
expected=(
    ./usr/games/quadventure
    ./usr/share/quadventure/content/levels/quadset.toml
    ./usr/share/quadventure/content/tuning.toml
    ./usr/share/quadventure/content/texts/en.toml
    ./usr/lib/udev/rules.d/70-quadventure.rules
    ./usr/share/applications/$app.desktop
    ./usr/share/metainfo/$app.metainfo.xml
    ./usr/share/icons/hicolor/scalable/apps/$app.svg
    ./usr/share/man/man6/quadventure.6.gz
    ./usr/share/doc/quadventure/copyright
    ./usr/share/doc/quadventure/changelog.gz
    ./usr/share/doc/quadventure/install.md
    ./usr/share/doc/quadventure/examples/70-quadventure-plugdev.rules
    ./usr/share/doc/quadventure/examples/quadventure-kiosk.desktop
    ./usr/lib/systemd/user/quadventure-kiosk.service
)
for size in 16 24 32 48 64 128 256 512; do
    expected+=("./usr/share/icons/hicolor/${size}x${size}/apps/$app.png")
done
missing=0
for path in "${expected[@]}"; do
    if ! awk '{print $6}' "$scratch/contents.txt" | grep -qx -- "$path"; then
        fail "the package lacks $path"
        missing=1
    fi
done
[ $missing -eq 0 ] && ok "the package holds all ${#expected[@]} expected files"
if awk '{print $2}' "$scratch/contents.txt" | grep -vqx 'root/root'; then
    fail "files not owned by root/root in the package"
fi
if grep -q -- '/rules.d/.*plugdev' "$scratch/contents.txt"; then
    fail "the plugdev rules must not be active (only an example)"
fi

if [ -n "$tgz" ]; then
    tar -tzf "$tgz" >"$scratch/tgz.txt"
    for path in games/quadventure share/quadventure/content/tuning.toml lib/udev/rules.d/70-quadventure.rules; do
        grep -q -- "/$path\$" "$scratch/tgz.txt" || fail "the tarball lacks */$path"
    done
fi

# --- Unpack and run as an ordinary user -----------------------------------------------------
root=$scratch/root
dpkg -x "$deb" "$root" || fail "dpkg -x"
home=$scratch/home
mkdir -p "$home"
as_user=()
user_desc="$(id -un)"
if [ "$(id -u)" -eq 0 ]; then
    chown nobody:nogroup "$home" 2>/dev/null || chown nobody "$home"
    if have setpriv; then
        as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
    elif have runuser; then
        as_user=(runuser -u nobody --)
    else
        echo "SKIP: running as root with neither setpriv nor runuser (util-linux)"
        exit 77
    fi
    user_desc=nobody
fi
bin=$root/usr/games/quadventure
run() { # run LOG ARGS...: the installed game as the user, with a clean environment
    local log=$1
    shift
    "${as_user[@]}" env -i PATH=/usr/bin:/bin HOME="$home" XDG_DATA_HOME="$home/data" LANG=C.UTF-8 \
        SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy "$bin" "$@" >"$scratch/$log" 2>&1
}

if run version.log --version && grep -qx "quadventure $version" "$scratch/version.log"; then
    ok "--version as $user_desc: $(cat "$scratch/version.log")"
else
    cat "$scratch/version.log"
    fail "--version did not print 'quadventure $version'"
fi

if run check.log --check-content && grep -q "content OK" "$scratch/check.log"; then
    ok "--check-content: $(tail -n 1 "$scratch/check.log")"
else
    cat "$scratch/check.log"
    fail "--check-content on the installed content"
fi
# Prove that it is the unpacked root's content the game reads (not a built-in copy or the source
# tree): damage it, the check must notice.
tuning=$root/usr/share/quadventure/content/tuning.toml
cp "$tuning" "$scratch/tuning.toml"
printf '\n[[[ not toml\n' >>"$tuning"
if run check-broken.log --check-content; then
    cat "$scratch/check-broken.log"
    fail "--check-content did not read $tuning (content is not found relative to the program)"
elif grep -q "tuning.toml" "$scratch/check-broken.log"; then
    ok "the game reads the content next to it: <root>/usr/games/../share/quadventure/content"
else
    cat "$scratch/check-broken.log"
    fail "--check-content failed without naming tuning.toml"
fi
cp "$scratch/tuning.toml" "$tuning"

if run sensors.log --list-sensors; then
    ids=$(grep -o 'ATTR{idVendor}=="[0-9a-f]*", ATTR{idProduct}=="[0-9a-f]*"' \
              "$root/usr/lib/udev/rules.d/70-quadventure.rules" |
          sed 's/ATTR{idVendor}=="\([0-9a-f]*\)", ATTR{idProduct}=="\([0-9a-f]*\)"/\1:\2/')
    for id in $ids; do
        grep -q "USB $id" "$scratch/sensors.log" || fail "--list-sensors does not list $id, which the udev rules cover"
    done
    ok "--list-sensors lists the $(echo $ids | wc -w) USB sensor(s) of the udev rules"
else
    cat "$scratch/sensors.log"
    fail "--list-sensors"
fi

if run demo.log --demo --level Q1 --seed 7 && grep -q "Demo finished" "$scratch/demo.log"; then
    ok "--demo --level Q1 as $user_desc"
else
    cat "$scratch/demo.log"
    fail "--demo --level Q1"
fi
db=$home/data/quadventure/quadventure.db
if [ -f "$db" ]; then
    mode=$(stat -c '%a %U' "$db")
    dmode=$(stat -c '%a' "$(dirname "$db")")
    [ "$mode" = "600 $user_desc" ] || fail "database mode/owner is '$mode', expected '600 $user_desc'"
    [ "$dmode" = 700 ] || fail "data directory mode is $dmode, expected 700"
    ok "the database is in the user's XDG data dir: \$XDG_DATA_HOME/quadventure/quadventure.db ($mode)"
else
    fail "no database at \$XDG_DATA_HOME/quadventure/quadventure.db"
fi

if [ -n "$tgz" ]; then # the tarball is relocatable too
    mkdir -p "$scratch/tgz" && tar -xzf "$tgz" -C "$scratch/tgz"
    tbin=$(ls "$scratch"/tgz/*/games/quadventure 2>/dev/null | head -n 1)
    if [ -n "$tbin" ] && QV_CONTENT_DIR= "$tbin" --check-content >"$scratch/tgz-check.log" 2>&1; then
        ok "the unpacked tarball finds its content"
    else
        cat "$scratch/tgz-check.log" 2>/dev/null
        fail "the unpacked tarball's program does not find its content"
    fi
fi

# --- Validators -----------------------------------------------------------------------------
if have desktop-file-validate; then
    if out=$(desktop-file-validate "$root/usr/share/applications/$app.desktop" \
             "$root/usr/share/doc/quadventure/examples/quadventure-kiosk.desktop" 2>&1) && [ -z "$out" ]; then
        ok "desktop-file-validate"
    else
        echo "$out"
        fail "desktop-file-validate"
    fi
else
    skip desktop-file-validate "desktop-file-validate is not installed (Debian: desktop-file-utils)"
fi
if have appstreamcli; then
    if appstreamcli validate --no-net "$root/usr/share/metainfo/$app.metainfo.xml" >"$scratch/as.log" 2>&1; then
        ok "appstreamcli validate --no-net: $(grep -i 'validation' "$scratch/as.log")"
    else
        cat "$scratch/as.log"
        fail "appstreamcli validate"
    fi
else
    skip appstreamcli "appstreamcli is not installed (Debian: appstream)"
fi

# Lintian: every tag is shown; errors fail the test unless packaging/README.md explains why they
# cannot be fixed here (the list below must match it).
accepted_errors=()
if have lintian; then
    lintian --display-info --tag-display-limit 0 "$deb" >"$scratch/lintian.log" 2>&1
    echo "--- lintian $(lintian --version | awk '{print $2}') ($((SECONDS - start)) s so far)"
    grep -v '^N: ' "$scratch/lintian.log" | grep -v 'running with root privileges' || true
    while read -r tag; do
        [ -z "$tag" ] && continue
        accepted=0
        for a in "${accepted_errors[@]}"; do [ "$a" = "$tag" ] && accepted=1; done
        [ $accepted -eq 1 ] || fail "lintian error $tag (fix it, or explain it in packaging/README.md)"
    done < <(grep '^E: ' "$scratch/lintian.log" | awk '{print $3}' | sort -u)
    ok "lintian: $(grep -c '^E: ' "$scratch/lintian.log") error(s), $(grep -c '^W: ' "$scratch/lintian.log") warning(s), $(grep -c '^I: ' "$scratch/lintian.log") info(s)"
else
    skip lintian "lintian is not installed (Debian: lintian)"
fi

echo "--- $((SECONDS - start)) s"
if [ $failures -gt 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
if [ ${#skipped[@]} -gt 0 ]; then
    echo "SKIPPED (tools missing): ${skipped[*]}; everything else passed"
    exit 77
fi
echo "all package checks passed"
