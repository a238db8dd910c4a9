//! The stored form of an enterprise's check history (a checkpoint, `storage::checkpoints`): what takes minutes to
//! fold from 18 million stored versions is read back in one blob per enterprise. Little-endian, with a format number
//! and a CRC-32 of everything before it; anything that does not decode is rebuilt from the versions.
//!
//! Layout: `DPCK`, format (u32), check seq (i64), the start of the resident months (u32 seconds; format 2 on, 0 in
//! format 1, whose checkpoints hold every month), task ids (u32 count, each u32 length + UTF-8), receipt times (u32
//! count, each i64 microseconds), rows (u64 count, each task u32, at u32, packed u64), superseded rows (u64 count,
//! each a row and until u64), CRC-32 (u32).

use crate::checks::{CheckHistory, HistRow};
use chrono::NaiveDateTime;
use std::sync::Arc;

/// The format written; a checkpoint of another format is rebuilt.
pub const FORMAT: u32 = 2;
const MAGIC: &[u8; 4] = b"DPCK";

/// The check part of an enterprise's history, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckPart {
    /// The highest check record version seq reflected.
    pub check_seq: i64,
    /// The start of the resident months (`EnterpriseHistory::resident_from`; 0 in a stored month's part).
    pub resident_from: u32,
    /// The task ids named by ordinal.
    pub task_ids: Vec<String>,
    /// The distinct receipt times of check record versions.
    pub check_received: Arc<[NaiveDateTime]>,
    /// The rows.
    pub checks: Arc<CheckHistory>,
}

fn put_row(out: &mut Vec<u8>, r: &HistRow) {
    out.extend_from_slice(&r.task.to_le_bytes());
    out.extend_from_slice(&r.at.to_le_bytes());
    out.extend_from_slice(&r.packed.to_le_bytes());
}

/// Encodes a check part.
pub fn encode(part: &CheckPart) -> Vec<u8> {
    let h = &part.checks;
    let mut out = Vec::with_capacity(64 + h.rows.len() * 16 + h.superseded.len() * 24 + part.task_ids.len() * 40);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&part.check_seq.to_le_bytes());
    out.extend_from_slice(&part.resident_from.to_le_bytes());
    out.extend_from_slice(&(part.task_ids.len() as u32).to_le_bytes());
    for id in &part.task_ids {
        out.extend_from_slice(&(id.len() as u32).to_le_bytes());
        out.extend_from_slice(id.as_bytes());
    }
    out.extend_from_slice(&(part.check_received.len() as u32).to_le_bytes());
    for t in part.check_received.iter() {
        out.extend_from_slice(&t.and_utc().timestamp_micros().to_le_bytes());
    }
    out.extend_from_slice(&(h.rows.len() as u64).to_le_bytes());
    for r in &h.rows {
        put_row(&mut out, r);
    }
    out.extend_from_slice(&(h.superseded.len() as u64).to_le_bytes());
    for (r, until) in &h.superseded {
        put_row(&mut out, r);
        out.extend_from_slice(&until.to_le_bytes());
    }
    let crc = crc32fast::hash(&out);
    out.extend_from_slice(&crc.to_le_bytes());
    out
}

/// Why a checkpoint was not used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckpointError {
    /// Written by another format.
    #[error("checkpoint format {0}, this release reads {FORMAT}")]
    Format(u32),
    /// Truncated, altered or not a checkpoint.
    #[error("checkpoint damaged: {0}")]
    Damaged(&'static str),
}

/// A cursor over the bytes.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], CheckpointError> {
        if self.0.len() < n {
            return Err(CheckpointError::Damaged("truncated"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], CheckpointError> {
        self.take(N)?.try_into().map_err(|_| CheckpointError::Damaged("truncated"))
    }
    fn u32(&mut self) -> Result<u32, CheckpointError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64, CheckpointError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn count(&mut self, each: usize) -> Result<usize, CheckpointError> {
        let n = usize::try_from(self.u64()?).map_err(|_| CheckpointError::Damaged("count"))?;
        (n.saturating_mul(each) <= self.0.len()).then_some(n).ok_or(CheckpointError::Damaged("count"))
    }
    fn row(&mut self) -> Result<HistRow, CheckpointError> {
        Ok(HistRow { task: self.u32()?, at: self.u32()?, packed: self.u64()? })
    }
}

/// Decodes a check part.
pub fn decode(bytes: &[u8]) -> Result<CheckPart, CheckpointError> {
    let Some((body, crc)) = bytes.split_last_chunk::<4>() else {
        return Err(CheckpointError::Damaged("truncated"));
    };
    if body.get(..4) != Some(MAGIC) {
        return Err(CheckpointError::Damaged("not a checkpoint"));
    }
    let mut r = Reader(&body[4..]);
    let format = r.u32()?;
    if format != FORMAT && format != 1 {
        return Err(CheckpointError::Format(format));
    }
    if crc32fast::hash(body) != u32::from_le_bytes(*crc) {
        return Err(CheckpointError::Damaged("checksum"));
    }
    let check_seq = r.u64()? as i64;
    let resident_from = if format == 1 { 0 } else { r.u32()? };
    let mut task_ids = Vec::new();
    for _ in 0..r.u32()? {
        let len = r.u32()? as usize;
        let id = std::str::from_utf8(r.take(len)?).map_err(|_| CheckpointError::Damaged("task id"))?;
        task_ids.push(id.to_owned());
    }
    let mut check_received = Vec::new();
    for _ in 0..r.u32()? {
        let micros = r.u64()? as i64;
        let t = chrono::DateTime::from_timestamp_micros(micros).ok_or(CheckpointError::Damaged("time"))?;
        check_received.push(t.naive_utc());
    }
    let n = r.count(16)?;
    let mut rows = Vec::with_capacity(n);
    for _ in 0..n {
        rows.push(r.row()?);
    }
    let n = r.count(24)?;
    let mut superseded = Vec::with_capacity(n);
    for _ in 0..n {
        superseded.push((r.row()?, r.u64()?));
    }
    if !r.0.is_empty() {
        return Err(CheckpointError::Damaged("trailing bytes"));
    }
    Ok(CheckPart {
        check_seq,
        resident_from,
        task_ids,
        check_received: check_received.into(),
        checks: Arc::new(CheckHistory { rows, superseded }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::CheckStatus;

    #[test]
    fn a_checkpoint_reads_back_and_any_damage_is_found() {
        let part = CheckPart {
            check_seq: 42,
            resident_from: 1_700_000_000,
            task_ids: vec!["k1".into(), "任务2".into()],
            check_received: vec![chrono::DateTime::from_timestamp_micros(1_764_000_000_123_456).unwrap().naive_utc()]
                .into(),
            checks: Arc::new(CheckHistory {
                rows: vec![HistRow::new(1, 1_764_000_000, CheckStatus::HazardFound, true, 1_764_000_000_123_456)],
                superseded: vec![(HistRow::new(0, 1_763_000_000, CheckStatus::NotChecked, false, 7), 9)],
            }),
        };
        let bytes = encode(&part);
        assert_eq!(bytes.len(), 4 + 4 + 8 + 4 + 4 + (4 + 2) + (4 + 7) + 4 + 8 + 8 + 16 + 8 + 24 + 4);
        assert_eq!(decode(&bytes), Ok(part));
        for i in [0, 5, 9, 30, bytes.len() - 30, bytes.len() - 1] {
            let mut bad = bytes.clone();
            bad[i] ^= 1;
            assert!(decode(&bad).is_err(), "a flipped bit at {i}");
        }
        assert!(decode(&bytes[..bytes.len() - 3]).is_err(), "truncated");

        // Format 1 (before the months were split) has no resident start: every month is in it.
        let mut v1 = [&bytes[..4], &1u32.to_le_bytes(), &bytes[8..16], &bytes[20..bytes.len() - 4]].concat();
        v1.extend_from_slice(&crc32fast::hash(&v1).to_le_bytes());
        assert_eq!(decode(&v1), Ok(CheckPart { resident_from: 0, ..decode(&bytes).unwrap() }));
        let mut v3 = bytes.clone();
        v3[4] = 3;
        assert_eq!(decode(&v3), Err(CheckpointError::Format(3)));
    }
}
