"""Builds the fonts @heart/plots ships: DejaVu Sans (Regular, Bold) cut down to Latin-1 and the few
symbols the charts use, renamed "Heart Sans" as the Bitstream Vera licence asks of modified
versions. Needs fontTools (Debian: python3-fonttools) and DejaVu (fonts-dejavu-core).

  /usr/bin/python3 scripts/build-fonts.py
"""
import pathlib

from fontTools import subset
from fontTools.ttLib import TTFont

SOURCE = pathlib.Path("/usr/share/fonts/truetype/dejavu")
TARGET = pathlib.Path(__file__).resolve().parents[1] / "fonts"
# Basic Latin, Latin-1, general punctuation (– — ‘ ’ “ ” … •), ±, ×, −, ≤, ≥, √, arrows.
UNICODES = "U+0020-007E,U+00A0-00FF,U+2010-2027,U+2212,U+2264,U+2265,U+221A,U+2190-2193"

for style, file in [("Regular", "DejaVuSans.ttf"), ("Bold", "DejaVuSans-Bold.ttf")]:
    font = TTFont(SOURCE / file)
    options = subset.Options()
    options.layout_features = ["kern", "liga"]
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
    subsetter.subset(font)
    for record in font["name"].names:
        text = record.toUnicode()
        if record.nameID in (1, 3, 4, 6, 16):
            text = text.replace("DejaVu Sans", "Heart Sans").replace("DejaVuSans", "HeartSans")
            record.string = text
    out = TARGET / f"HeartSans-{style}.ttf"
    font.save(out)
    print(out, out.stat().st_size)
