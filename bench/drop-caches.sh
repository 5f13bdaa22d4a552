#!/bin/sh
# bench/drop-caches.sh - empty the page cache (root only): for the cold runs.
sync
echo 3 >/proc/sys/vm/drop_caches
