#!/usr/bin/env python3
"""durability.py TRACE STORE - did a change reach the disk before it exited?

TRACE is the output of

    strace -f -q -y -e trace=openat,write,pwrite64,fsync,fdatasync,rename,\
link,unlink,mkdir,close,exit_group -o TRACE complaint ...

(-y prints the path behind each file descriptor; -q, not -qq, keeps the
"+++ exited with N +++" line).  STORE is the store's
absolute path.  The rules, for every file and directory under STORE:

  1. a file written and then renamed or linked into place was fsynced
     after its last write and before the rename (temporary case file,
     libgit2's temporary objects, the branch's .lock file);
  2. after each rename or link into a directory, that directory was
     fsynced (the new name is on disk);
  3. after each mkdir, the new directory's parent was fsynced;
  4. the branch moved (the rename onto .git/refs/heads/...) after every
     other rename, link and mkdir of the change but the index's: the
     commit point comes last;
  5. the process exited 0.

The index (.git/index, and the old one kept beside it while a change
may still put it back, .git/index.complaint-old) is exempt from rules 1
and 2: it is a cache, written like git writes it (no fsync), that
'complaint check --repair' puts back in step with HEAD.  Prints one line per broken
rule and exits 1 if there is any; prints a summary and exits 0 otherwise.
"""
import os
import re
import sys

CALL = re.compile(r'^(?:\d+ +)?([a-z0-9_]+)\((.*)\) += (-?\d+)(?: .*)?$')
FD = re.compile(r'^(\d+)<(.*?)>')
STR = re.compile(r'"((?:[^"\\]|\\.)*)"')


def main():
    trace, store = sys.argv[1], os.path.realpath(sys.argv[2])
    under = lambda p: p == store or p.startswith(store + '/')
    events = []
    exit_code = None
    for line in open(trace, encoding='utf-8', errors='replace'):
        line = line.rstrip('\n')
        m = re.match(r'^(?:\d+ +)?\+\+\+ exited with (\d+)', line)
        if m:
            exit_code = int(m.group(1))
            continue
        m = CALL.match(line)
        if not m:
            continue
        name, args, ret = m.group(1), m.group(2), int(m.group(3))
        if ret < 0:
            continue
        if name in ('write', 'pwrite64', 'fsync', 'fdatasync'):
            f = FD.match(args)
            if f:
                events.append((name, f.group(2)))
        elif name in ('rename', 'link'):
            s = STR.findall(args)
            if len(s) == 2:
                events.append((name, s[0], s[1]))
        elif name == 'mkdir':
            s = STR.findall(args)
            if s:
                events.append((name, s[0]))
    problems = []
    synced_after = {}       # path -> index of its last fsync

    def fsync_after(path, i):
        return any(e[0] in ('fsync', 'fdatasync') and e[1] == path
                   for e in events[i + 1:])

    caches = (os.path.join(store, '.git/index'),
              os.path.join(store, '.git/index.complaint-old'))
    last_write = {}
    ref_rename = None
    moves = 0
    for i, e in enumerate(events):
        if e[0] in ('write', 'pwrite64'):
            last_write[e[1]] = i
        elif e[0] in ('fsync', 'fdatasync'):
            synced_after[e[1]] = i
        elif e[0] in ('rename', 'link'):
            src, dst = e[1], e[2]
            if not under(dst):
                continue
            moves += 1
            index = dst in caches
            if not index and src in last_write and \
               synced_after.get(src, -1) < last_write[src]:
                problems.append('%s %s -> %s: not fsynced after its last write'
                                % (e[0], src, dst))
            if not index and not fsync_after(os.path.dirname(dst), i):
                problems.append('%s -> %s: the directory %s is not fsynced after it'
                                % (e[0], dst, os.path.dirname(dst)))
            if '/.git/refs/heads/' in dst:
                ref_rename = i
        elif e[0] == 'mkdir':
            if under(e[1]) and not fsync_after(os.path.dirname(e[1]), i):
                problems.append('mkdir %s: its parent is not fsynced after it' % e[1])
    if ref_rename is None:
        problems.append('the branch was never moved (no rename onto .git/refs/heads/)')
    else:
        for e in events[ref_rename + 1:]:
            if e[0] in ('rename', 'link') and under(e[2]) and \
               e[2] not in caches:
                problems.append('%s -> %s after the branch moved' % (e[0], e[2]))
            if e[0] == 'mkdir' and under(e[1]):
                problems.append('mkdir %s after the branch moved' % e[1])
    if exit_code != 0:
        problems.append('exit %s' % exit_code)
    for p in problems:
        print(p)
    if problems:
        return 1
    syncs = sum(1 for e in events if e[0] in ('fsync', 'fdatasync'))
    print('%d renames and links, %d fsyncs, the branch moved last: durable' % (moves, syncs))
    return 0


if __name__ == '__main__':
    sys.exit(main())
