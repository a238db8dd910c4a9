"""Reads a .docx with python-docx and prints what the officedoc tests check, as JSON.

Usage: python3 read_docx.py FILE.docx

Exits 3 with a message on stderr when python-docx is not installed (the Rust test then fails, never skips).
"""

import json
import sys

try:
    import docx
    from docx.oxml.ns import qn
except ImportError as error:  # pragma: no cover - the message is the point
    print(f"python-docx is missing ({error}): run `python3 -m pip install python-docx`", file=sys.stderr)
    sys.exit(3)


def run_fonts(run):
    """The fonts, size and bold of a run as written in its own properties."""
    rpr = run._element.rPr
    fonts = rpr.rFonts if rpr is not None else None
    return {
        "east_asia": fonts.get(qn("w:eastAsia")) if fonts is not None else None,
        "ascii": fonts.get(qn("w:ascii")) if fonts is not None else None,
        "size_pt": run.font.size.pt if run.font.size is not None else None,
        "bold": run.font.bold,
    }


def paragraph(p):
    first = p.runs[0] if p.runs else None
    fmt = p.paragraph_format
    return {
        "text": p.text,
        "style": p.style.name if p.style is not None else None,
        "style_east_asia": style_east_asia(p.style),
        "alignment": alignment(p),
        "runs": [run_fonts(r) for r in p.runs],
        "font": run_fonts(first) if first is not None else None,
        "right_indent_twips": fmt.right_indent.twips if fmt.right_indent is not None else None,
    }


def alignment(p):
    """The alignment of a paragraph: its own, else its style's (following basedOn)."""
    value = p.alignment
    style = p.style
    while value is None and style is not None:
        value = style.paragraph_format.alignment
        style = style.base_style
    return str(value) if value is not None else None


def style_east_asia(style):
    """The eastAsia font of a paragraph style, following basedOn."""
    while style is not None:
        rpr = style.element.rPr
        if rpr is not None and rpr.rFonts is not None and rpr.rFonts.get(qn("w:eastAsia")):
            return rpr.rFonts.get(qn("w:eastAsia"))
        style = style.base_style
    return None


def table(t):
    rows = t._tbl.tr_lst
    header = rows[0] if rows else None
    return {
        "rows": [[cell.text for cell in row.cells] for row in t.rows],
        "header_repeats": header is not None and bool(header.xpath("./w:trPr/w:tblHeader")),
        "borders": sorted(el.tag.split("}")[1] for el in t._tbl.xpath("./w:tblPr/w:tblBorders/*")),
        "header_bold": all(
            r.font.bold for cell in t.rows[0].cells for p in cell.paragraphs for r in p.runs
        )
        if t.rows
        else False,
        "cell_east_asia": run_fonts(t.rows[-1].cells[0].paragraphs[0].runs[0])["east_asia"]
        if t.rows and t.rows[-1].cells[0].paragraphs[0].runs
        else None,
    }


def section(s):
    return {
        "page_width_twips": s.page_width.twips,
        "page_height_twips": s.page_height.twips,
        "top_margin_twips": s.top_margin.twips,
        "bottom_margin_twips": s.bottom_margin.twips,
        "left_margin_twips": s.left_margin.twips,
        "right_margin_twips": s.right_margin.twips,
        "orientation": str(s.orientation),
        "footer": {
            "text": "\n".join(p.text for p in s.footer.paragraphs),
            "fields": [
                " ".join(t.text.split())
                for t in s.footer._element.xpath(".//w:instrText")
            ]
            + [" ".join(f.get(qn("w:instr")).split()) for f in s.footer._element.xpath(".//w:fldSimple")],
            "east_asia": [run_fonts(r)["east_asia"] for p in s.footer.paragraphs for r in p.runs],
        },
    }


def font_table(document):
    """The font table part: each font's name and alternative name."""
    for part in document.part.package.iter_parts():
        if str(part.partname) == "/word/fontTable.xml":
            from lxml import etree

            root = etree.fromstring(part.blob)
            fonts = {}
            for font in root.findall(qn("w:font")):
                alt = font.find(qn("w:altName"))
                fonts[font.get(qn("w:name"))] = alt.get(qn("w:val")) if alt is not None else None
            return fonts
    return None


def main():
    document = docx.Document(sys.argv[1])
    core = document.core_properties
    print(
        json.dumps(
            {
                "paragraphs": [paragraph(p) for p in document.paragraphs],
                "tables": [table(t) for t in document.tables],
                "sections": [section(s) for s in document.sections],
                "fonts": font_table(document),
                "core": {
                    "title": core.title,
                    "author": core.author,
                    "created": core.created.isoformat() if core.created else None,
                    "modified": core.modified.isoformat() if core.modified else None,
                },
            },
            ensure_ascii=False,
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
