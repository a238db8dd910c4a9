//! The enterprise simulator: a deterministic world of enterprise records (the tables of `data-exchange.md` §2),
//! served on the pull endpoint of §4, with faults on demand. Used by `dualprev simulate`, `dualprev demo`, the
//! ingestion tests over real HTTP and the benchmarks.
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! use chrono::{NaiveDate, TimeDelta};
//! use sim::{SimConfig, Size, World, serve};
//!
//! let start = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
//! let end = domain::time::local_midnight_utc(start + TimeDelta::days(75)); // the world's "now", UTC
//! let cfg = SimConfig::for_registry(176, 42, start, end, Size::Demo, 0.1);
//! let world = World::generate(&cfg); // about 0.1 s in release for 176 enterprises
//! println!("{}", world.totals());
//! let server = serve(world, "127.0.0.1:0").await?;
//! let url = server.base_url(&cfg.enterprises[0].0); // http://127.0.0.1:PORT/140100001
//! // GET {url}/check_record?updatedSince=2026-03-10%2000:00:00&limit=500&cursor=…
//! server.stop().await;
//! # Ok(()) }
//! ```
//!
//! # The world
//!
//! [`World::generate`] makes, for every enterprise of a [`SimConfig`], every version of every record from the
//! first local day of history (`start`) to the world's "now" (`end`, UTC); nothing later exists. A version becomes
//! visible at its `updateDate`. The same config gives the same world, byte for byte (a SplitMix64 of our own, so
//! dependency upgrades change nothing); every entity draws from its own stream, and everything that happens in time
//! is drawn in time order and only cut at `end`, so [`World::advance`] (or a world generated with a later `end`)
//! extends a world without changing any version it had. Per enterprise:
//!
//! - **Master data**, created on the first day between 00:30 and 05:00 local: 1–4 hazard sources (`hazardCode`
//!   `<companyCode>-HS01`…, with their 包保 responsible, technical and operation persons as `{name, phone, post}`;
//!   15 % change their responsible person later); risk units of all four `riskClass` levels (5 % 重大; 5 % are
//!   re-assessed later), 1–3 events each, 1–4 measures per event over all 17 `classify2` codes (so every
//!   `classify1`), `dataSrc` 2 for 65 %. About one unit a month is added later: the unit first, its events a day
//!   later, measures two days later, tasks three days later; a quarter of the additions never get events and some
//!   never get tasks, and a third of the enterprises have inspection measures without tasks, so 安全风险分析完成率
//!   varies. Units, events, measures and tasks are deleted now and then (a later version with `deleted` "1").
//! - **Check tasks** on inspection (`dataSrc` 2) measures: 天 (most; some 2 天, some 0.5 or 1.5 天), 周, 月 (30 %
//!   starting on a 31st), 年, and 小时 (few, except in [`Size::Province`]) with work hours 8:00:00–18:00:00,
//!   22:00:00–6:00:00 or 0:00:00–23:59:59; `workDayType` 0, 1 and 2; `taskStartTime` some days before the first day
//!   (tasks configured before the platform saw them). Per hazard source, 包保 tasks of the three roles
//!   (`workType` 1 quarterly = 3 月, 2 monthly, 3 weekly) with distinct `taskNum` in their ranges. 40 % of the
//!   enterprises delete a task within the first 25 days.
//! - **Unit stops** (`unit_stop`): about one per unit every two years, plus an early one in 30 % of the enterprises;
//!   1–10 days, one in five open-ended; sent open then closed, or once when over.
//! - **Check records**: task instances as in `metrics.md` §2 (official working-day calendar, work hours, no
//!   instance starting inside a stop); an instance gets a check with the enterprise's completion probability
//!   ([`EnterpriseProfile::completion`], 0.6–0.995: a city baseline of 0.7–0.95 plus the enterprise's own
//!   deviation, moved ±12 % week by week), at a day-shift time inside the instance; status 2 (未排查) 3 %, 3 (其他)
//!   1 %, 1 (存在隐患) at the rate that makes about 60 % of the enterprise's dangers; `createDate` = `updateDate` =
//!   check time + 1–20 minutes (3 % are synchronised 1–48 hours late). 1 % are entered twice and half of those
//!   doubles deleted within hours. 10 % of the enterprises have a system outage of 2–8 days without checks.
//! - **Dangers**: 1–5 a month per enterprise ([`EnterpriseProfile::dangers_per_month`]): one per check that found a
//!   hazard (naming its `checkRecordId` and `riskMeasureId`) and others from other inspections; 10 % 重大 (always
//!   限期整改), 即查即改 and 限期整改, deadlines as dates (60 %) or 18:00:00 moments, 即查即改 often without one.
//!   Each is accepted (state 9) by its deadline with the enterprise's on-time probability, else late or never
//!   (overdue), passing through state 1 (待验收) for most; 3 % are deleted a few days after registration and 5 % are
//!   sent again unchanged with a newer `updateDate`.
//!
//! Ids are UUIDs written the same way within an enterprise (36-character lowercase, 32 lowercase or 32 uppercase
//! hex), so their text order is their numeric order. Every version passes `exchange::validate_record` with a
//! context whose `now` is the world's end (tested for whole worlds).
//!
//! # Sizes and times
//!
//! | size | history | per enterprise | 176 enterprises | generation (release, 2 cores, under load) |
//! |---|---|---|---|---|
//! | [`Size::Small`] | 30 days | ≈ 240 versions | ≈ 42,000 versions | 15–20 ms, 16 MB |
//! | [`Size::Demo`] | 75 days | ≈ 1,850 versions | ≈ 326,000 versions | 0.06–0.1 s, 45 MB |
//! | [`Size::Province`] | 365 days | ≈ 109,000 versions | ≈ 19.2 million (19.1 M check records) | 2.6–4.8 s, 0.83 GB |
//! | [`Size::Province5`] | 1,825 days | ≈ 515,000 versions | ≈ 90.7 million (90.5 M check records) | 20.1 s (idle), ≈ 4 GB |
//!
//! Serving a whole demo world over HTTP (every table of the 176 enterprises, pages of 500, eight at a time, client
//! in the same process) takes about 2 s. The examples `generate` and `serve_speed` print the figures of a machine.
//!
//! Check records are kept compact (40 bytes a version) and turned into records only for the page being served;
//! [`World::records`] builds (and keeps) a whole table on first call, which for a province-size world is costly.
//!
//! # The pull endpoint
//!
//! [`serve`] answers `GET /{companyCode}/{table}?updatedSince=&limit=&cursor=` ([`SimServer::base_url`] is
//! `http://addr/{companyCode}`), `table` being one of the 8 names of `ExchangeTable` (the national aliases work too):
//!
//! - `200 {"datas": [...], "nextCursor": "<c>" | null}`: the versions with `updateDate` **≥** `updatedSince` (local
//!   `yyyy-MM-dd HH:mm:ss` or `yyyyMMddHHmmss`), ordered by (`updateDate`, `id`), at most `limit` (default and cap
//!   [`MAX_LIMIT`] = 500; a larger limit is lowered). "≥" is the safe choice for a client that sets its watermark to
//!   the last `updateDate` it committed: versions sharing that second are sent again and are `unchanged`, none is
//!   lost. `nextCursor` is opaque (the last (`updateDate`, `id`) of the page, hex-encoded); sent back with the same
//!   `updatedSince` it continues the query after that version, so versions that appear meanwhile are picked up at
//!   the end; it is `null` on the last page (an empty page when nothing matches).
//! - Enterprises listed in [`SimConfig::encrypted`] answer `{"datas": "<Base64>", …}`: the JSON array encrypted with
//!   AES-128-CBC/PKCS#7 under [`aes_key`] with IV = key (`exchange::encrypt_datas`).
//! - `400 {"error": "bad_query", …}` for a bad `updatedSince`, a `limit` that is not a positive integer, or a cursor
//!   that is not one of ours; `404 {"error": "not_found", …}` for an enterprise that is not simulated or an unknown
//!   table.
//!
//! # Faults
//!
//! A faulty enterprise ([`SimConfig::faults`]) misbehaves on every request:
//!
//! - [`Fault::Timeout`]: no response at all; the connection stays open for [`TIMEOUT_HOLD`] (an hour) or until the
//!   server stops.
//! - [`Fault::SlowDrip`]: status 200 and headers at once, then the (correct) body in [`DRIP_CHUNKS`] = 120 chunks
//!   (a shorter body byte by byte), spread evenly over [`DRIP_TOTAL`] = 30 s: every page takes 30 s.
//! - [`Fault::ServerError`]: `500 {"error": "simulated_failure", …}`.
//! - [`Fault::Truncated`]: 200 with the first half of the page's bytes (a correct `Content-Length`, a JSON text cut
//!   in the middle).
//! - [`Fault::Undecryptable`]: 200 with `datas` as valid Base64 of AES ciphertext under another key (whether or not
//!   the enterprise is listed as encrypted); decrypting it with [`aes_key`] fails (bad padding) or, rarely, yields
//!   bytes that are not JSON.
//! - [`Fault::InvalidRecords`]: about 10 % of the versions (chosen by a hash of id and `updateDate`, so the same
//!   ones on every request) are broken in the answer: half with a bad enumeration (`hazardLevel` "7", `riskClass`
//!   "9", `classify1` "9", `checkCycleUnit` "分钟", `checkStatus` "7", `dangerState` "5", or `deleted` "2" for events
//!   and stops), half without a required field (`hazardName`, `riskUnitName`, `riskEventName`, `riskMeasureDesc`,
//!   `checkCycle`, `checkTime`, `dangerName`, `stopReason`). The others are intact.
//! - [`Fault::OutOfOrder`]: the data itself: every day at 08:00 local the enterprise creates a one-off 专项排查
//!   task (a yearly cycle on an inspection measure) and checks it within the hour, but sends the task three days
//!   later (`updateDate` = creation + 3 days 1 hour). So at any moment the `check_record` table holds records whose
//!   `checkTaskId` names a task that `check_task` does not have yet, even when the client pulls the tables in parent
//!   order; the task arrives in a pull after it is sent (after [`World::advance`] or [`SimServer::advance`]).
//!   Besides, 3 % of all check records arrive up to two days late, after the dangers that name them.
//!
//! [`SimConfig::for_registry`] chooses the faulty enterprises by the seed, cycling through [`Fault::ALL`].

mod checks;
mod config;
mod dangers;
mod enterprise;
mod faults;
mod ids;
mod master;
mod names;
mod page;
mod plan;
mod profile;
mod rng;
mod schedule;
mod server;
mod spec;
mod tasks;
mod world;

pub use config::{Fault, Knobs, SimConfig, Size, aes_key};
pub use faults::{DRIP_CHUNKS, DRIP_TOTAL, TIMEOUT_HOLD};
pub use page::MAX_LIMIT;
pub use profile::EnterpriseProfile;
pub use server::{SimServer, serve};
pub use world::{TableTotals, Totals, World};
