#!/usr/bin/env python3
"""byteflip.py GOOD OUTDIR IDPREFIX - a good case file with one byte changed.

For every offset of GOOD and every value in VALUES, write GOOD with the
byte at that offset replaced (or, for "hi", its top bit flipped) to
OUTDIR/<ID>.yaml, where <ID> is IDPREFIX followed by a counter, written in
place of GOOD's own ID (IDPREFIX and the counter together are as long as
that ID, so offsets do not move).  Prints "<ID> <offset> <value>" per file.
Used by tests/t/t5210-byte-flip.sh.
"""
import os
import sys

VALUES = [b'\x00', b'\xff', b'\n', b' ', b':', b'[', b'&', b'"', b'\x1b', 'hi']


def main():
    good = open(sys.argv[1], 'rb').read()
    out, prefix = sys.argv[2], sys.argv[3].encode()
    good_id = good.split(b'\n', 1)[0][len(b'id: '):]
    width = len(good_id) - len(prefix)
    n = 0
    for off in range(len(good)):
        for v in VALUES:
            b = bytes([good[off] ^ 0x80]) if v == 'hi' else v
            if good[off:off + 1] == b:
                continue
            n += 1
            new_id = prefix + b'%0*d' % (width, n)
            data = good.replace(good_id, new_id)
            data = data[:off] + b + data[off + 1:]
            with open(os.path.join(out, new_id.decode() + '.yaml'), 'wb') as f:
                f.write(data)
            print(new_id.decode(), off, v if v == 'hi' else '%02x' % b[0])


if __name__ == '__main__':
    main()
