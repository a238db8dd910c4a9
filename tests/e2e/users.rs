//! `dualprev user` (issue 20): no account after `migrate`, the first sysadmin made from the command line with a
//! password shown once, scope and password rules refused with clear messages, disable, unlock and reset.

use crate::{dualprev, stdout};
use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `dualprev` with `input` on standard input.
fn with_stdin(dir: &std::path::Path, args: &[&str], input: &str) -> std::process::Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_dualprev"));
    cmd.args(args).current_dir(dir).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for (k, _) in std::env::vars().filter(|(k, _)| k.starts_with("DUALPREV_")) {
        cmd.env_remove(k);
    }
    let mut child = testkit::pin_child(&mut cmd).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn accounts_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("u.db").display());
    let d = dir.path();
    assert!(dualprev(d, &["migrate", "--database", &db], &[]).status.success());
    let empty = dualprev(d, &["user", "list", "--database", &db], &[]);
    assert!(empty.status.success() && stdout(&empty).is_empty(), "no default account");
    assert!(stderr(&empty).contains("dualprev user add"), "{}", stderr(&empty));

    // The first sysadmin, with a generated password printed once on stdout.
    let add =
        dualprev(d, &["user", "add", "admin", "--role", "sysadmin", "--name", "系统管理员", "--database", &db], &[]);
    assert!(add.status.success(), "{}", stderr(&add));
    let password = stdout(&add).trim().to_owned();
    assert!(domain::account::PasswordPolicy::default().check("admin", &password).is_ok(), "{password}");
    // A city account needs its city; a weak password is refused with the rule.
    let no_city = dualprev(d, &["user", "add", "ty", "--role", "city", "--name", "张三", "--database", &db], &[]);
    assert!(!no_city.status.success() && stderr(&no_city).contains("needs a city"), "{}", stderr(&no_city));
    let args = ["user", "add", "ty", "--role", "city", "--city", "140100", "--name", "张三", "--password-stdin"];
    let mut weak = args.to_vec();
    weak.extend(["--database", &db]);
    let refused = with_stdin(d, &weak, "taiyuan2026\n");
    assert!(!refused.status.success() && stderr(&refused).contains("3"), "{}", stderr(&refused));
    let made = with_stdin(d, &weak, "Taiyuan-2026!\n");
    assert!(made.status.success() && stdout(&made).is_empty(), "a password from stdin is not printed");

    // Listed without any password or hash; disable, unlock and reset work and say so.
    let list = dualprev(d, &["user", "list", "--format", "json", "--database", &db], &[]);
    let rows: serde_json::Value = serde_json::from_str(&stdout(&list)).unwrap();
    let names: Vec<&str> = rows.as_array().unwrap().iter().map(|r| r["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["admin", "ty"]);
    assert_eq!((rows[1]["role"].as_str(), rows[1]["scope"].as_str()), (Some("city"), Some("140100")));
    assert!(!stdout(&list).contains("argon2") && !stdout(&list).contains(&password));
    for cmd in ["disable", "enable", "unlock"] {
        let o = dualprev(d, &["user", cmd, "ty", "--database", &db], &[]);
        assert!(o.status.success(), "{cmd}: {}", stderr(&o));
    }
    let listed = dualprev(d, &["user", "list", "--format", "csv", "--database", &db], &[]);
    assert!(stdout(&listed).contains("ty,张三,city,140100,active"), "{}", stdout(&listed));
    let reset = dualprev(d, &["user", "reset-password", "ty", "--database", &db], &[]);
    assert!(reset.status.success() && stdout(&reset).trim().len() >= 10);
    let unknown = dualprev(d, &["user", "disable", "nobody", "--database", &db], &[]);
    assert!(!unknown.status.success() && stderr(&unknown).contains("nobody"));
}
