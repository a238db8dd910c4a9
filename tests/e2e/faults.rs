//! The SQLite database cannot be written under `dualprev serve` while pushes arrive: its disk fills up (a small
//! tmpfs), its file system turns read-only (ext4 on a loop device with `errors=remount-ro`, pushed into that state
//! through `/sys/fs/ext4/<dev>/trigger_fs_error`, as the kernel does on a disk error), or the database file itself
//! is read-only for the server's account (mode 0444, the server run as `nobody`). Each push is then refused with a
//! clear 503 problem (`disk_full`, `database_io_error`, `database_read_only`) and `Retry-After`, reads go on,
//! every acknowledged batch is stored whole and no refused one in part, `PRAGMA integrity_check` says `ok`, and once
//! the condition is removed the same push succeeds: without a restart for the full disk, after a restart for the
//! other two (the file system needs an unmount, `e2fsck` and a mount; connections opened read-only stay so). Root
//! only: they mount file systems and switch users.

use crate::harness::{self, Serve};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A mounted file system, unmounted when dropped.
pub(crate) struct Mount(PathBuf);

impl Mount {
    /// Mounts with `mount ARGS AT`, creating the mount point.
    pub(crate) fn new(args: &[&str], at: &Path) -> Mount {
        std::fs::create_dir_all(at).unwrap();
        let out = Command::new("mount").args(args).arg(at).output().unwrap();
        assert!(out.status.success(), "mount {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        Mount(at.to_owned())
    }

    /// The device under the mount point, as `/proc/mounts` names it.
    fn device(&self) -> String {
        let mounts = std::fs::read_to_string("/proc/mounts").unwrap();
        let at = self.0.to_string_lossy().into_owned();
        mounts
            .lines()
            .find(|l| l.split_whitespace().nth(1) == Some(at.as_str()))
            .unwrap()
            .split(' ')
            .next()
            .unwrap()
            .to_owned()
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// The company that pushes.
pub(crate) const COMPANY: &str = "140100001";

/// The ids of check-record batch `n`.
pub(crate) fn ids(n: usize) -> Vec<String> {
    harness::check_batch(COMPANY, n, 100).iter().map(|v| v["id"].as_str().unwrap().to_owned()).collect()
}

/// The answer to a push.
pub(crate) struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The problem, or the receipt.
    pub body: Value,
    /// `Retry-After`, when sent.
    pub retry: Option<String>,
    /// `Content-Type`.
    pub content_type: String,
}

/// Pushes check-record batch `n`.
pub(crate) fn push(base: &str, n: usize) -> Answer {
    let res = harness::http()
        .post(format!("{base}/api/v1/exchange/check_record"))
        .header("Authorization", harness::bearer(api::Role::Enterprise, Some(COMPANY)))
        .json(&harness::check_batch(COMPANY, n, 100))
        .send()
        .unwrap();
    let header = |name: &str| res.headers().get(name).map(|v| v.to_str().unwrap().to_owned());
    let (retry, content_type) = (header("retry-after"), header("content-type").unwrap_or_default());
    let status = res.status().as_u16();
    Answer { status, body: res.json().unwrap_or(Value::Null), retry, content_type }
}

/// Starts a server on the database and pushes the parents of the check records.
pub(crate) fn start(dir: &Path, db: &str) -> Serve {
    let server = Serve::start(dir, db, &[("DUALPREV_LIMITS__PUSH_PER_MINUTE", "0")]);
    let auth = harness::bearer(api::Role::Enterprise, Some(COMPANY));
    for (table, record) in harness::parents(COMPANY) {
        let url = format!("{}/api/v1/exchange/{table}", server.base);
        let res = harness::http().post(url).header("Authorization", &auth).json(&[record]).send().unwrap();
        assert!(res.status() == 200 || res.status() == 207, "{table}: {}", res.status());
    }
    server
}

/// Pushes new batches from `from` until one is refused; the acknowledged ones, and the refused one's answer.
pub(crate) fn push_until_refused(base: &str, from: usize) -> (Vec<usize>, usize, Answer) {
    let mut acked = Vec::new();
    for n in from..from + 500 {
        let answer = push(base, n);
        if answer.status == 200 {
            acked.push(n);
        } else {
            return (acked, n, answer);
        }
    }
    panic!("500 batches were acknowledged on a failed disk");
}

/// How many of the ids have a head.
fn stored(db: &storage::Db, ids: &[String]) -> usize {
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let company = domain::CompanyCode::parse(COMPANY).unwrap();
    db.with(|c| Ok(storage::heads::load(c, domain::ExchangeTable::CheckRecord, &company, &refs)?)).unwrap().len()
}

/// Checks the database file: integrity, then [`check_batches`].
fn check(url: &str, acked: &[usize], refused: usize) {
    let db = storage::Db::open(url).unwrap();
    assert_eq!(harness::strings(&db, "SELECT integrity_check AS k FROM pragma_integrity_check()"), ["ok"]);
    check_batches(&db, acked, refused);
}

/// Every acknowledged batch stored whole, the refused one absent, no batch stored in part.
pub(crate) fn check_batches(db: &storage::Db, acked: &[usize], refused: usize) {
    for &n in acked {
        assert_eq!(stored(db, &ids(n)), 100, "acknowledged batch {n} is stored whole");
    }
    assert_eq!(stored(db, &ids(refused)), 0, "nothing of the refused batch {refused} is stored");
    let partial = harness::count(
        db,
        "SELECT count(*) AS n FROM batches b WHERE b.table_name = 'check_record' AND b.accepted <> \
         (SELECT count(*) FROM check_record_versions v WHERE v.batch_id = b.batch_id)",
    );
    assert_eq!(partial, 0, "no batch is stored in part");
}

/// Asserts a push was refused with a 503 problem+json of `code`, its detail in Chinese (`zh`) and English (`en`),
/// and `Retry-After: 30`.
pub(crate) fn assert_refused(answer: &Answer, code: &str, zh: &str, en: &str) {
    let problem = &answer.body;
    assert_eq!(answer.status, 503, "{problem}");
    assert_eq!(answer.content_type, "application/problem+json");
    assert_eq!(problem["code"], code, "{problem}");
    assert_eq!(problem["type"], format!("urn:dualprev:error:{code}"));
    let detail = problem["detail"].as_str().unwrap();
    assert!(detail.contains(zh) && detail.contains(en), "{problem}");
    assert_eq!(answer.retry.as_deref(), Some("30"), "Retry-After");
}

/// Asserts that reads answer 200: the company's receipts, the registry, and `/metrics`.
pub(crate) fn assert_reads_answer(base: &str) {
    let province = harness::bearer(api::Role::Province, None);
    for path in [&format!("/api/v1/exchange/receipts?company={COMPANY}"), "/api/v1/enterprises", "/metrics"] {
        let res = harness::http().get(format!("{base}{path}")).header("Authorization", &province).send().unwrap();
        assert_eq!(res.status(), 200, "GET {path}: reads go on");
    }
}

/// Fills a file system: a file of zeros until the disk says it is full.
pub(crate) fn fill(path: &Path) {
    use std::io::Write;
    let mut f = std::fs::File::create(path).unwrap();
    let chunk = vec![0u8; 64 * 1024];
    while f.write_all(&chunk).is_ok() {}
    while f.write_all(&[0]).is_ok() {}
    let _ = f.sync_all();
}

#[test]
#[cfg_attr(not(root_tests), ignore = "needs root (mounts a tmpfs): run the tests as root")]
fn a_full_disk_refuses_pushes_clearly_and_recovers_without_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let mnt = dir.path().join("fs");
    let _fs = Mount::new(&["-t", "tmpfs", "-o", "size=24m", "tmpfs"], &mnt);
    let url = format!("sqlite://{}", mnt.join("d.db").display());
    let mut server = start(dir.path(), &url);
    let mut acked = vec![0, 1, 2];
    for &n in &acked {
        assert_eq!(push(&server.base, n).status, 200);
    }
    fill(&mnt.join("filler"));
    let (more, refused, answer) = push_until_refused(&server.base, 3);
    acked.extend(more);
    assert_refused(&answer, "disk_full", "磁盘已满", "disk is full");
    assert_reads_answer(&server.base);
    assert!(server.child.try_wait().unwrap().is_none(), "the server runs on");
    check(&url, &acked, refused);
    // The operator frees space: the same push succeeds, no restart.
    std::fs::remove_file(mnt.join("filler")).unwrap();
    assert_eq!(push(&server.base, refused).status, 200, "the refused batch, resent");
    assert_eq!(push(&server.base, refused + 1).status, 200, "a new batch");
    acked.extend([refused, refused + 1]);
    drop(server);
    check(&url, &acked, refused + 2);
    eprintln!(
        "faults: disk full after {} acknowledged batches; refused batch {refused} stored after freeing space",
        acked.len() - 2
    );
}

#[test]
#[cfg_attr(not(root_tests), ignore = "needs root (mounts a loop device): run the tests as root")]
fn a_file_system_turned_read_only_refuses_pushes_clearly_and_recovers_after_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let image = dir.path().join("fs.img");
    std::fs::File::create(&image).unwrap().set_len(32 << 20).unwrap();
    let out = Command::new("mkfs.ext4").args(["-q", "-F"]).arg(&image).output().unwrap();
    assert!(out.status.success(), "mkfs.ext4: {}", String::from_utf8_lossy(&out.stderr));
    let mnt = dir.path().join("fs");
    let mount = |at: &Path| Mount::new(&["-o", "loop,errors=remount-ro", &image.to_string_lossy()], at);
    let fs = mount(&mnt);
    let url = format!("sqlite://{}", mnt.join("d.db").display());
    let server = start(dir.path(), &url);
    let acked: Vec<usize> = (0..3).collect();
    for &n in &acked {
        assert_eq!(push(&server.base, n).status, 200);
    }
    // The kernel's answer to a disk error: the file system is remounted read-only under the running server.
    let dev = fs.device();
    let name = dev.rsplit('/').next().unwrap();
    std::fs::write(format!("/sys/fs/ext4/{name}/trigger_fs_error"), "proof: read-only\n").unwrap();
    let answer = push(&server.base, 3);
    assert_refused(&answer, "database_io_error", "文件系统只读", "read-only file system");
    assert_reads_answer(&server.base);
    // Recovery as in production: stop the server, unmount, check the file system, mount, start again.
    drop(server);
    drop(fs);
    let fsck = Command::new("e2fsck").args(["-f", "-y"]).arg(&image).output().unwrap();
    assert!(fsck.status.code().is_some_and(|c| c <= 1), "e2fsck: {}", String::from_utf8_lossy(&fsck.stdout));
    let _fs = mount(&mnt);
    check(&url, &acked, 3);
    let server = Serve::start(dir.path(), &url, &[("DUALPREV_LIMITS__PUSH_PER_MINUTE", "0")]);
    assert_eq!(push(&server.base, 3).status, 200, "the refused batch, resent after the restart");
    drop(server);
    let all: Vec<usize> = (0..4).collect();
    check(&url, &all, 4);
}

/// Runs the server as `nobody` (root ignores file modes).
const AS_NOBODY: [&str; 4] = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"];

#[test]
#[cfg_attr(not(root_tests), ignore = "needs root (runs the server as nobody): run the tests as root")]
fn a_read_only_database_file_refuses_pushes_clearly_and_recovers_after_a_restart() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let file = data.join("d.db");
    let url = format!("sqlite://{}", file.display());
    let acked: Vec<usize> = (0..3).collect();
    {
        let server = start(dir.path(), &url);
        for &n in &acked {
            assert_eq!(push(&server.base, n).status, 200);
        }
    }
    // The service account owns the folder, but the database file is made read-only (an operator's chmod, a
    // restore with the wrong mode): the server starts, and SQLite opens the file read-only.
    for entry in std::fs::read_dir(&data).unwrap() {
        std::os::unix::fs::chown(entry.unwrap().path(), Some(65534), Some(65534)).unwrap();
    }
    std::os::unix::fs::chown(&data, Some(65534), Some(65534)).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
    let env = [("DUALPREV_LIMITS__PUSH_PER_MINUTE", "0")];
    let server = Serve::start_via(&AS_NOBODY, dir.path(), &url, &env);
    assert_refused(&push(&server.base, 3), "database_read_only", "只读", "is read-only");
    assert_reads_answer(&server.base);
    drop(server);
    check(&url, &acked, 3);
    // The operator restores the mode; connections opened read-only stay so, hence the restart.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let server = Serve::start_via(&AS_NOBODY, dir.path(), &url, &env);
    assert_eq!(push(&server.base, 3).status, 200, "the refused batch, resent after the restart");
    drop(server);
    let all: Vec<usize> = (0..4).collect();
    check(&url, &all, 4);
}
