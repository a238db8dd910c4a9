//! The simulated world: every version of every record of every simulated enterprise.

use crate::config::{Fault, SimConfig};
use crate::enterprise::EntWorld;
use crate::profile::{Ctx, EnterpriseProfile};
use chrono::NaiveDateTime;
use domain::calendar::WorkCalendar;
use domain::records::Record;
use domain::{City, CompanyCode, ExchangeTable};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// All generated data: every version of every record of every enterprise, each visible from its `updateDate`; only
/// versions with `updateDate` ≤ [`World::end`] exist.
pub struct World {
    cfg: SimConfig,
    ents: Vec<EntWorld>,
    index: HashMap<CompanyCode, usize>,
}

/// The counts of one table.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TableTotals {
    /// Versions (what a full pull returns).
    pub versions: u64,
    /// Distinct records (ids).
    pub records: u64,
}

/// The counts of a world, per table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    /// How many enterprises are simulated.
    pub enterprises: usize,
    /// The counts of each table.
    pub tables: BTreeMap<ExchangeTable, TableTotals>,
}

impl Totals {
    /// The counts of one table.
    pub fn table(&self, table: ExchangeTable) -> TableTotals {
        self.tables.get(&table).copied().unwrap_or_default()
    }

    /// All versions of all tables.
    pub fn versions(&self) -> u64 {
        self.tables.values().map(|t| t.versions).sum()
    }

    /// All distinct records of all tables.
    pub fn records(&self) -> u64 {
        self.tables.values().map(|t| t.records).sum()
    }
}

impl fmt::Display for Totals {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} enterprises, {} versions of {} records (", self.enterprises, self.versions(), self.records())?;
        for (i, (t, n)) in self.tables.iter().enumerate() {
            write!(f, "{}{t} {}/{}", if i == 0 { "" } else { ", " }, n.versions, n.records)?;
        }
        write!(f, ")")
    }
}

/// Generates the enterprises of a config up to `end`, on all cores (each enterprise alone, so the result does not
/// depend on the number of threads).
fn generate_all(cfg: &SimConfig, list: &[(CompanyCode, City)], end: NaiveDateTime) -> Vec<EntWorld> {
    let calendar = WorkCalendar::shipped().unwrap_or_default();
    let knobs = cfg.size.knobs();
    let one = |(code, city): &(CompanyCode, City)| {
        let fault = cfg.faults.iter().find(|(c, _)| c == code).map(|(_, f)| *f);
        let encrypted = cfg.encrypted.contains(code);
        let ctx = Ctx::new(cfg.seed, code.clone(), *city, cfg.start, end, &knobs, &calendar, fault, encrypted);
        EntWorld::generate(&ctx)
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 16);
    if threads == 1 || list.len() < 2 {
        return list.iter().map(one).collect();
    }
    let chunk = list.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> =
            list.chunks(chunk).map(|part| s.spawn(move || part.iter().map(one).collect::<Vec<_>>())).collect();
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}

impl World {
    /// Generates the world of a config. Deterministic: the same config gives the same world.
    pub fn generate(cfg: &SimConfig) -> World {
        let mut seen = HashMap::new();
        let list: Vec<(CompanyCode, City)> =
            cfg.enterprises.iter().filter(|(c, _)| seen.insert(c.clone(), ()).is_none()).cloned().collect();
        let ents = generate_all(cfg, &list, cfg.end);
        let index = list.iter().enumerate().map(|(i, (c, _))| (c.clone(), i)).collect();
        World { cfg: SimConfig { enterprises: list, ..cfg.clone() }, ents, index }
    }

    /// The config the world was generated from (its enterprises without repeats, its current end).
    pub fn config(&self) -> &SimConfig {
        &self.cfg
    }

    /// The world's now (UTC): the latest `updateDate` that may exist.
    pub fn end(&self) -> NaiveDateTime {
        self.cfg.end
    }

    /// The simulated enterprises, in config order.
    pub fn companies(&self) -> impl Iterator<Item = &CompanyCode> {
        self.cfg.enterprises.iter().map(|(c, _)| c)
    }

    /// The habits of every enterprise, in config order.
    pub fn profiles(&self) -> impl Iterator<Item = &EnterpriseProfile> {
        self.ents.iter().map(|e| &e.profile)
    }

    /// The habits of one enterprise.
    pub fn profile(&self, company: &CompanyCode) -> Option<&EnterpriseProfile> {
        self.ent(company).map(|e| &e.profile)
    }

    /// The fault of an enterprise, if it misbehaves.
    pub fn fault(&self, company: &CompanyCode) -> Option<Fault> {
        self.profile(company).and_then(|p| p.fault)
    }

    pub(crate) fn ent(&self, company: &CompanyCode) -> Option<&EntWorld> {
        self.index.get(company).and_then(|&i| self.ents.get(i))
    }

    /// Every version of a table of an enterprise, ordered by (updateDate, id); empty for an enterprise that is not
    /// simulated. Check records are built on first call and then kept (about 0.8 KB each: for a province-size world
    /// prefer [`World::totals`] and the HTTP endpoint, which builds only the records of a page).
    pub fn records(&self, company: &CompanyCode, table: ExchangeTable) -> &[Record] {
        self.ent(company).map_or(&[], |e| e.records(table))
    }

    /// Calls `f` with every version of a table of an enterprise, in (updateDate, id) order, without keeping the
    /// check records it builds (for loading province-size worlds).
    pub fn for_each_version(&self, company: &CompanyCode, table: ExchangeTable, mut f: impl FnMut(Record)) {
        let Some(e) = self.ent(company) else { return };
        if table == ExchangeTable::CheckRecord {
            for row in &e.checks {
                f(e.meta.record(row));
            }
        } else {
            for r in e.records(table) {
                f(r.clone());
            }
        }
    }

    /// The counts of versions and distinct records, per table.
    pub fn totals(&self) -> Totals {
        let mut totals = Totals { enterprises: self.ents.len(), tables: BTreeMap::new() };
        for t in ExchangeTable::ALL {
            let mut n = TableTotals::default();
            for e in &self.ents {
                n.versions += e.versions(t) as u64;
                n.records += e.distinct(t) as u64;
            }
            totals.tables.insert(t, n);
        }
        totals
    }

    /// Moves the world's now forward to `to` (nothing happens if `to` is not later): the versions sent between the
    /// old end and `to` appear. Every version that existed stays exactly as it was, because nothing generated depends
    /// on how far the world reaches; the world is regenerated (which costs what [`World::generate`] costs).
    pub fn advance(&mut self, to: NaiveDateTime) {
        if to <= self.cfg.end {
            return;
        }
        self.cfg.end = to;
        self.ents = generate_all(&self.cfg, &self.cfg.enterprises, to);
    }
}

impl fmt::Debug for World {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("World")
            .field("seed", &self.cfg.seed)
            .field("start", &self.cfg.start)
            .field("end", &self.cfg.end)
            .field("enterprises", &self.ents.len())
            .finish_non_exhaustive()
    }
}
