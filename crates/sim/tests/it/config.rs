//! Configs from the registry, and the keys.

use crate::{day, start};
use sim::{SimConfig, Size};

#[test]
fn registry_configs_cycle_the_faults_and_encrypt_the_undecryptable() {
    let cfg = SimConfig::for_registry(176, 3, start(), day(30, 0), Size::Small, 0.1);
    assert_eq!(cfg.enterprises.len(), 176);
    assert_eq!(cfg.faults.len(), 18);
    let kinds: Vec<sim::Fault> = cfg.faults.iter().map(|(_, f)| *f).collect();
    assert_eq!(&kinds[..7], &sim::Fault::ALL);
    for (c, f) in &cfg.faults {
        if *f == sim::Fault::Undecryptable {
            assert!(cfg.encrypted.contains(c));
        }
    }
    let share = cfg.encrypted.len() as f64 / 176.0;
    assert!((0.2..0.5).contains(&share), "{share}");
    // Another seed chooses other enterprises; the same seed the same ones.
    assert_eq!(SimConfig::for_registry(176, 3, start(), day(30, 0), Size::Small, 0.1).faults, cfg.faults);
    assert_ne!(SimConfig::for_registry(176, 4, start(), day(30, 0), Size::Small, 0.1).faults, cfg.faults);
    assert_eq!(SimConfig::for_registry(500, 3, start(), day(30, 0), Size::Small, 0.0).enterprises.len(), 176);
    assert!(SimConfig::for_registry(5, 3, start(), day(30, 0), Size::Small, 0.0).faults.is_empty());
    for f in sim::Fault::ALL {
        assert_eq!(sim::Fault::parse(f.name()), Some(f));
    }
    assert_eq!(Size::parse("demo"), Some(Size::Demo));
    assert_eq!(Size::parse("province5"), Some(Size::Province5));
    assert_eq!(Size::Province5.default_days(), 5 * Size::Province.default_days());
    let (one, five) = (Size::Province.knobs(), Size::Province5.knobs());
    assert!(five.additions_per_month < one.additions_per_month && five.units.0 > one.units.0);
    assert_eq!(five.hourly_share, one.hourly_share);
}

#[test]
fn keys_are_sixteen_ascii_characters_per_enterprise_and_seed() {
    let (a, b) = (domain::CompanyCode::parse("140100001").unwrap(), domain::CompanyCode::parse("140100002").unwrap());
    let k = sim::aes_key(&a, 1);
    assert_eq!(k.len(), 16);
    assert!(k.bytes().all(|c| c.is_ascii_alphanumeric()));
    assert_eq!(k, sim::aes_key(&a, 1));
    assert_ne!(k, sim::aes_key(&b, 1));
    assert_ne!(k, sim::aes_key(&a, 2));
    assert!(exchange::key_bytes(&k).is_some());
}
