#!/bin/sh
# The man page documents every long option `quadventure --help` prints, and formats without
# warnings. Usage: check_man_page.sh QUADVENTURE_BINARY MAN_PAGE
set -u
bin=$1
page=$2
status=0
options=$("$bin" --help | grep -o -- '--[a-z][a-z0-9-]*' | sort -u)
if [ -z "$options" ]; then
    echo "FAIL: no long options found in '$bin --help'"
    exit 1
fi
# The page's text with troff's escaped hyphens (\-) as plain ones.
text=$(sed 's/\\-/-/g' "$page")
for opt in $options; do
    if printf '%s\n' "$text" | grep -q -e "$opt\([^a-z0-9-]\|$\)"; then
        :
    else
        echo "FAIL: $opt (in --help) is not documented in packaging/quadventure.6"
        status=1
    fi
done
[ $status -eq 0 ] && echo "ok: all $(echo "$options" | wc -l) long options are in the man page"

checked=0
if command -v groff >/dev/null 2>&1; then
    warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
    checked=1
    if [ -n "$warnings" ]; then
        echo "FAIL: groff -man -ww warns:"
        printf '%s\n' "$warnings"
        status=1
    else
        echo "ok: groff -man -Tutf8 -ww: no warnings"
    fi
fi
if command -v man >/dev/null 2>&1; then
    warnings=$(MANROFFSEQ='' man --warnings -l "$page" 2>&1 >/dev/null)
    checked=1
    if [ -n "$warnings" ]; then
        echo "FAIL: man --warnings -l warns:"
        printf '%s\n' "$warnings"
        status=1
    else
        echo "ok: man --warnings -l: no warnings"
    fi
fi
if [ $checked -eq 0 ] && [ $status -eq 0 ]; then
    echo "SKIP: neither groff nor man is installed; only the options were checked"
    exit 77
fi
exit $status
