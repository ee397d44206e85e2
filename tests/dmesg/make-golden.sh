#!/bin/sh
# Regenerates the golden files that util-linux dmesg itself can produce from golden/records.syslog
# (dmesg -F reads a syslog(2)-format buffer). Made with util-linux 2.38.1; run by hand, on purpose,
# never by the tests. Formats that depend on the wall clock (-T, -H, iso) or that 2.38.1 gets wrong
# for -F buffers (-J's msg, -r's pri of non-kernel facilities) are checked in dmesg-format.test.ts.
set -e
cd "$(dirname "$0")/golden"
gen() { name=$1; shift; TZ=UTC LC_ALL=C.UTF-8 dmesg -F records.syslog "$@" > "$name.txt"; }
gen default
gen decode -x
gen delta -d
gen notime -t
gen notime-delta -t -d
gen decode-notime -x -t
gen level-err-warn --level=err,warn
gen level-numeric -l 0,7
gen facility-kern -k
gen facility-user -u
gen facility-daemon-user --facility=daemon,user
gen decode-level -xl info
gen color-notime -t --color=always
gen color-delta -d --color=always
gen color-decode -x --color=always
