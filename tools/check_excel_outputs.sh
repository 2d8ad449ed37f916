#!/bin/sh
# Look at the outputs for spreadsheet users the way they will see them (not run in CI: it needs
# LibreOffice, `apt-get install libreoffice-calc-nogui poppler-utils fonts-noto-cjk`).
#
#   tools/check_excel_outputs.sh [SOURCES...]     (default: ../shared/corpus)
#
# Writes into $OUT (default /tmp/govdisclose-excel-check):
#   corpus.xlsx, corpus.pdf, corpus.png     the workbook, as LibreOffice prints it
#   bom.csv / plain.csv                     `parse --excel --labels zh` and without --excel
#   bom.png / plain.png                     each CSV opened as Excel opens it: UTF-8 when the
#                                           file starts with a byte order mark, else the system
#                                           code page (GBK on a Chinese Windows).  LibreOffice
#                                           headless does not look for the mark when a charset
#                                           is given, so this script applies Excel's rule.
set -eu
OUT=${OUT:-/tmp/govdisclose-excel-check}
mkdir -p "$OUT"
[ $# -gt 0 ] || set -- "$(dirname "$0")/../../shared/corpus"
PROFILE="-env:UserInstallation=file://$OUT/profile"

python -m govdisclose parse "$@" -q -o "$OUT/corpus.xlsx"
soffice "$PROFILE" --headless --convert-to pdf --outdir "$OUT" "$OUT/corpus.xlsx" >/dev/null
pdftoppm -f 1 -l 1 -r 80 -singlefile -png "$OUT/corpus.pdf" "$OUT/corpus"

python -m govdisclose parse "$@" -q --labels zh --excel -o "$OUT/bom.csv"
python -m govdisclose parse "$@" -q --labels zh -o "$OUT/plain.csv"
for name in bom plain; do
    if [ "$(head -c 3 "$OUT/$name.csv" | od -An -tx1 | tr -d ' \n')" = efbbbf ]; then
        charset=76  # UTF-8
    else
        charset=61  # MS 936 (GBK)
    fi
    soffice "$PROFILE" --headless --infilter="Text - txt - csv (StarCalc):44,34,$charset" \
        --convert-to pdf --outdir "$OUT" "$OUT/$name.csv" >/dev/null
    pdftoppm -f 1 -l 1 -r 80 -singlefile -png "$OUT/$name.pdf" "$OUT/$name"
done
echo "look at $OUT/corpus.png, $OUT/bom.png and $OUT/plain.png"
