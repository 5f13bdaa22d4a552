#!/usr/bin/env python3
"""hostile.py GOOD OUTDIR IDPREFIX - write hostile variants of a case file.

GOOD is a case file the tool wrote.  Variant number N gets the ID
IDPREFIX followed by N in four digits (in place of GOOD's ID, wherever it
appears), is written to OUTDIR/<ID>.yaml, and "<ID> <name>" is printed.
Each variant is wrong in one way (or, for a few, strange but valid YAML),
so that the error a reader gives can be judged.  Used by
tests/t/t5200-hostile-files.sh.
"""
import os
import re
import sys


def main():
    good = open(sys.argv[1], 'rb').read()
    out, prefix = sys.argv[2], sys.argv[3].encode()
    first, rest = good.split(b'\n', 1)
    good_id = first[len(b'id: '):]
    v = {}
    # billion laughs: nine levels of nine aliases each
    lol = [b'a0: &a0 "lol"']
    for i in range(1, 10):
        lol.append(b'a%d: &a%d [%s]' % (i, i, b', '.join([b'*a%d' % (i - 1)] * 9)))
    v['alias-bomb'] = first + b'\n' + b'\n'.join(lol) + b'\n' + rest
    v['alias-cycle'] = first + b'\nsummary: &x [*x]\n' + rest
    v['alias-only'] = first + b'\nsummary: *undefined\n'
    v['anchor'] = first + b'\nnote: &keep text\n' + rest
    v['deep-flow'] = first + b'\nsummary: ' + b'[' * 100000 + b'\n'
    v['deep-flow-closed'] = first + b'\nsummary: ' + b'[' * 50000 + b']' * 50000 + b'\n'
    v['deep-map'] = first + b'\nsummary: ' + b'{a: ' * 20000 + b'1' + b'}' * 20000 + b'\n'
    v['deep-block'] = first + b'\n' + b''.join(b' ' * i + b'k%d:\n' % i for i in range(3000))
    v['deep-seq'] = first + b'\nsummary:\n' + b''.join(b' ' * i + b'- \n' for i in range(3000))
    v['duplicate-key'] = good + b'summary: again\n'
    v['duplicate-id'] = first + b'\n' + first + b'\n' + rest
    v['duplicate-nested'] = good.replace(b'customer: {', b'customer: {name: x, ', 1) \
        if b'customer: {' in good else good + b'customer: {name: a, name: b}\n'
    v['invalid-utf8'] = good.replace(b'summary: ', b'summary: \xff\xfe', 1)
    v['surrogate-utf8'] = good.replace(b'summary: ', b'summary: \xed\xa0\x80', 1)
    v['overlong-utf8'] = good.replace(b'summary: ', b'summary: \xc0\xaf', 1)
    v['truncated-utf8'] = good + b'note: \xe4\xb8'
    v['nul-byte'] = good.replace(b'summary: ', b'summary: a\x00b', 1)
    v['nul-at-end'] = good + b'\x00'
    v['tag-python'] = first + b'\nsummary: !!python/object/apply:os.system ["true"]\n' + rest
    v['tag-local'] = first + b'\nsummary: !custom x\n' + rest
    v['tag-on-map'] = first.replace(b'id: ', b'id: ', 1) + b'\ncustomer: !!map {name: x}\n' + rest
    v['tag-directive'] = b'%TAG ! tag:evil.example,2000:\n---\n' + good
    v['yaml-directive'] = b'%YAML 1.1\n---\n' + good
    v['two-documents'] = good + b'---\n' + good
    v['document-end-then-more'] = good + b'...\n---\nid: other\n'
    v['big-scalar-10mb'] = first + b'\nsummary: "' + b'x' * (10 * 1024 * 1024) + b'"\n' + rest
    v['big-scalar-7mb'] = first + b'\ndescription: "' + b'y' * (7 * 1024 * 1024) + b'"\n' + rest
    v['long-key'] = first + b'\n' + b'k' * 100000 + b': 1\n' + rest
    v['many-keys'] = first + b'\n' + b''.join(b'k%d: %d\n' % (i, i) for i in range(100000))
    v['many-items'] = first + b'\nflags: [' + b','.join([b'x'] * 300000) + b']\n' + rest
    v['not-a-mapping-list'] = b'- ' + first + b'\n- x\n'
    v['not-a-mapping-scalar'] = b'just a sentence\n'
    v['not-a-mapping-number'] = b'42\n'
    v['empty'] = b''
    v['only-comment'] = b'# nothing here\n'
    v['only-null'] = b'~\n'
    v['complex-key'] = first + b'\n? [a, b]\n: c\n' + rest
    v['merge-key'] = first + b'\n<<: {status: closed}\n' + rest
    v['bom'] = b'\xef\xbb\xbf' + good
    v['crlf'] = good.replace(b'\n', b'\r\n')
    # valid: escapes in a double-quoted scalar (the tool must show them harmlessly)
    v['control-chars-escaped'] = re.sub(rb'\nsummary: [^\n]*', rb'\nsummary: "\\x1b[31mred\\x07\\x1b]0;title\\x07"', good, 1)
    v['ansi-raw'] = good.replace(b'summary: ', b'summary: \x1b[31m', 1)
    v['tab-indent'] = good.replace(b'\n  ', b'\n\t', 1)
    v['unterminated-quote'] = first + b'\nsummary: "never closed\n' + rest
    v['unknown-field'] = good + b'owner: mallory\n'
    v['wrong-type-events'] = first + b'\nevents: not-a-list\n' + rest.replace(b'events:', b'x_events:', 1)
    def amount(value):
        if re.search(rb'\namount: [^\n]*', good):
            return re.sub(rb'\namount: [^\n]*', b'\namount: ' + value, good, 1)
        return good.replace(b'\ndeadlines:', b'\namount: ' + value + b'\ndeadlines:', 1)
    v['huge-number'] = amount(b'1e999999')
    v['negative-amount'] = amount(b'-5')
    v['amount-as-text'] = amount(b'"12"')
    v['amount-hex'] = amount(b'0x10')
    v['bad-time'] = good.replace(b'received_at: 2', b'received_at: 9999-99-99T99:99:99+99:99 #', 1)
    v['bad-status'] = re.sub(rb'\nstatus: [^\n]*', b'\nstatus: [new]', good, 1)
    v['unknown-status'] = re.sub(rb'\nstatus: [^\n]*', b'\nstatus: exploded', good, 1)
    v['event-unknown-action'] = good.replace(b'action: new}', b'action: explode}', 1)
    v['event-missing-at'] = good.replace(b'{at: ', b'{when: ', 1)
    v['events-empty'] = good[:good.index(b'\nevents:')] + b'\nevents: []\n'
    v['id-traversal'] = good.replace(first, b'id: ../../../etc/passwd', 1)
    for n, (name, data) in enumerate(sorted(v.items()), 1):
        new_id = prefix + b'%04d' % n
        with open(os.path.join(out, new_id.decode() + '.yaml'), 'wb') as f:
            f.write(data.replace(good_id, new_id))
        print(new_id.decode(), name)


if __name__ == '__main__':
    main()
