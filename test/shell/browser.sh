#!/usr/bin/env bash
# The demo page in a headless browser. Runs make demo's tour (tools/demo) on the server the
# PG* variables name, writing the page to out/browser; parses every picture with an XML
# parser; renders the page to out/browser/page.png with Debian's chromium (installed with
# tools/install-deps browser when missing); and decodes the PNG to check that it shows the
# field and the tracks, not a blank or error page.
# Exit status: 0 passed, 1 failed, 77 skipped (no real data, unless CI=true).
set -euo pipefail
cd "$(dirname "$0")/../.."
export NGS_DATA="${NGS_DATA:-$PWD/../shared/data/nfl-tracking}"
out="$PWD/out/browser"

if [ ! -d "$NGS_DATA/bdb2019" ]; then
    echo "real tracking data not found at $NGS_DATA"
    [ "${CI:-}" = true ] && exit 1
    exit 77
fi
{ command -v chromium && command -v python3; } >/dev/null || tools/install-deps browser

rm -rf "$out"
mkdir -p "$out"
NGS_DEMO_OUT="$out" tools/demo > "$out/demo.log" 2>&1 || { tail -40 "$out/demo.log"; exit 1; }
tail -1 "$out/demo.log" | grep -qx "open file://$out/index.html" \
    || { echo "the demo did not end by naming its page"; tail -5 "$out/demo.log"; exit 1; }

python3 - "$out" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
svgs = sorted(glob.glob(sys.argv[1] + "/*.svg"))
assert svgs, "the demo wrote no picture"
for f in svgs:
    root = ET.parse(f).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg", f + ": the root is not an svg element"
print("well-formed SVG:", ", ".join(s.rsplit("/", 1)[1] for s in svgs))
PY

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --disable-dev-shm-usage \
    --user-data-dir="$profile" --hide-scrollbars --screenshot="$out/page.png" --window-size=1200,900 \
    "file://$out/index.html" > "$out/chromium.log" 2>&1 || { tail -20 "$out/chromium.log"; exit 1; }

# Decode the PNG (zlib and the five row filters, no imaging library) and count colours.
python3 - "$out/page.png" <<'PY'
import struct, sys, zlib

data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
pos, idat = 8, b""
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
    elif kind == b"IDAT":
        idat += chunk
    pos += 12 + length
assert depth == 8 and colour in (2, 6) and interlace == 0, "unexpected PNG format"
bpp = 3 if colour == 2 else 4
stride = width * bpp
raw = zlib.decompress(idat)
rows, prev = [], bytearray(stride)
for y in range(height):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    if f == 1:
        for i in range(bpp, stride):
            line[i] = (line[i] + line[i - bpp]) & 255
    elif f == 2:
        line = bytearray((a + b) & 255 for a, b in zip(line, prev))
    elif f == 3:
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
    elif f == 4:
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b, c = prev[i], prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    rows.append(line)
    prev = line

def near(px, rgb, tol):
    return all(abs(px[k] - rgb[k]) <= tol for k in range(3))

colours, counts = set(), {"white": 0, "turf": 0, "offense": 0, "defense": 0}
targets = {"white": ((255, 255, 255), 0), "turf": ((0x3a, 0x7d, 0x44), 8),
           "offense": ((0xf2, 0x8e, 0x2b), 24), "defense": ((0x4e, 0x9b, 0xd6), 24)}
for line in rows:
    for x in range(0, stride, bpp):
        px = tuple(line[x:x + 3])
        colours.add(px)
        for name, (rgb, tol) in targets.items():
            if near(px, rgb, tol):
                counts[name] += 1
total = width * height
print(f"{width}x{height}: {len(colours)} colours; white {counts['white'] / total:.1%}, "
      f"turf {counts['turf'] / total:.1%}, offense tracks {counts['offense']} px, defense tracks {counts['defense']} px")
assert (width, height) == (1200, 900), "the screenshot is not 1200 x 900"
assert len(colours) >= 100, "the page is blank"
assert counts["white"] < 0.8 * total, "the page is mostly empty"
assert counts["turf"] > 0.15 * total, "no field in view"
assert counts["offense"] > 500 and counts["defense"] > 500, "no tracks on the field"
PY
echo "rendered $out/page.png"
