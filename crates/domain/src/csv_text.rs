//! CSV text shipped with the platform or given by an administrator, read with the `csv` crate: RFC 4180 quoting, so
//! a quoted field may hold a comma. Messages name rows by the line they start on, as an editor numbers it.

/// The rows of `text`, the first line (the header, whatever it says) included; rows may have any number of fields.
pub(crate) fn reader(text: &str, trim: bool) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(if trim { csv::Trim::All } else { csv::Trim::None })
        .from_reader(text.as_bytes())
}

/// The line a row starts on (1-based) and that line's text. The `csv` crate gives the position where reading the
/// row began, before the empty lines it skips; they are counted here.
pub(crate) fn line_of<'t>(text: &'t str, row: &csv::StringRecord) -> (usize, &'t str) {
    let (byte, line) = row.position().map_or((0, 1), |p| (p.byte(), p.line()));
    let rest = usize::try_from(byte).ok().and_then(|b| text.get(b..)).unwrap_or_default();
    let skipped = &rest[..rest.len() - rest.trim_start_matches(['\r', '\n']).len()];
    let n = usize::try_from(line).unwrap_or(usize::MAX).saturating_add(skipped.matches('\n').count());
    (n, text.lines().nth(n - 1).unwrap_or_default())
}
