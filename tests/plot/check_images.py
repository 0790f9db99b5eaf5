#!/usr/bin/env python3
"""Checks the images percap plot drew (standard library only).

    check_images.py sizes DIR STEM...
        each DIR/STEM.gp, .png and .svg exists; the PNG has the PNG
        signature and an IHDR whose width and height are the size the
        script asks of its terminal; the SVG parses as XML, its root is
        <svg> and its width and height are that size too.

    check_images.py texts DIR STEM NAMES_FILE
        every name in NAMES_FILE (JSON list of the strings a chart must
        show) appears literally among the text nodes of DIR/STEM.svg.
        Names may come out as "N. name" (the ranking's rank prefix) or
        split over two consecutive nodes at a space, hyphen or full stop
        (the map's two-line tile labels).

Exit status 0 when every check passes, 1 otherwise, with one line per
failure on standard error."""
import json
import re
import struct
import sys
import xml.dom.minidom

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def script_size(gp_path):
    text = open(gp_path, encoding="utf-8").read()
    sizes = set(re.findall(r"set terminal \w+ size (\d+),(\d+) ", text))
    if len(sizes) != 1:
        raise ValueError("%s: expected one terminal size, found %s" % (gp_path, sizes))
    w, h = sizes.pop()
    return int(w), int(h)


def png_size(path):
    data = open(path, "rb").read()
    if data[:8] != PNG_SIGNATURE:
        raise ValueError("%s: no PNG signature" % path)
    length, kind = struct.unpack(">I4s", data[8:16])
    if kind != b"IHDR" or length != 13:
        raise ValueError("%s: first chunk is not IHDR" % path)
    w, h = struct.unpack(">II", data[16:24])
    if not data.rstrip(b"\0").endswith(b"IEND\xaeB`\x82"):
        raise ValueError("%s: no IEND chunk (truncated?)" % path)
    return w, h


def svg_dom(path):
    return xml.dom.minidom.parse(path)


def svg_size(path):
    root = svg_dom(path).documentElement
    if root.tagName != "svg":
        raise ValueError("%s: root element is <%s>" % (path, root.tagName))
    return int(float(root.getAttribute("width"))), int(float(root.getAttribute("height")))


def node_text(node):
    if node.nodeType == node.TEXT_NODE:
        return node.data
    return "".join(node_text(c) for c in node.childNodes)


def svg_texts(path):
    return [node_text(t) for t in svg_dom(path).getElementsByTagName("text")]


def check_sizes(directory, stems):
    failures = []
    for stem in stems:
        base = "%s/%s" % (directory, stem)
        try:
            want = script_size(base + ".gp")
            got_png = png_size(base + ".png")
            got_svg = svg_size(base + ".svg")
            if got_png != want:
                failures.append("%s.png is %dx%d, the script asks %dx%d" % ((base,) + got_png + want))
            if got_svg != want:
                failures.append("%s.svg is %dx%d, the script asks %dx%d" % ((base,) + got_svg + want))
        except (OSError, ValueError, xml.parsers.expat.ExpatError) as e:
            failures.append(str(e))
    return failures


def shown(texts, name):
    if name in texts:
        return True
    for t in texts:
        m = re.match(r"^\d+\. (.*)$", t, re.S)
        if m and m.group(1) == name:
            return True
    for a, b in zip(texts, texts[1:]):
        if a + " " + b == name or (a[-1:] in "-." and a + b == name):
            return True
    return False


def check_texts(directory, stem, names_file):
    names = json.load(open(names_file, encoding="utf-8"))
    try:
        texts = svg_texts("%s/%s.svg" % (directory, stem))
    except (OSError, xml.parsers.expat.ExpatError) as e:
        return [str(e)]
    return ["%s.svg does not show %r literally" % (stem, n) for n in names if not shown(texts, n)]


def main(argv):
    if len(argv) >= 3 and argv[1] == "sizes":
        failures = check_sizes(argv[2], argv[3:])
    elif len(argv) == 5 and argv[1] == "texts":
        failures = check_texts(argv[2], argv[3], argv[4])
    else:
        sys.stderr.write(__doc__)
        return 2
    for f in failures:
        sys.stderr.write("FAIL %s\n" % f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
