//! The same document gives the same bytes; a changed one does not.

use crate::sample;
use officedoc::{Block, render};

#[test]
fn the_same_document_renders_to_the_same_bytes() {
    let doc = sample::document();
    let first = render(&doc).expect("renders");
    let second = render(&doc.clone()).expect("renders again");
    assert_eq!(first, second, "two renders of the same document differ");
    println!("sample document: {} bytes", first.len());
}

#[test]
fn renders_on_other_threads_give_the_same_bytes() {
    // No process- or thread-wide counters: documents rendered concurrently on fresh threads are identical.
    let expected = render(&sample::document()).expect("renders");
    let handles: Vec<_> =
        (0..3).map(|_| std::thread::spawn(|| render(&sample::document()).expect("renders on a thread"))).collect();
    for handle in handles {
        assert_eq!(handle.join().expect("the thread ends"), expected);
    }
}

#[test]
fn a_changed_document_renders_to_other_bytes() {
    let doc = sample::document();
    let original = render(&doc).expect("renders");

    let mut changed = doc.clone();
    if let Some(Block::Table(table)) = changed.blocks.iter_mut().find(|b| matches!(b, Block::Table(_))) {
        table.rows[0][1] = "46/50".to_owned();
    }
    assert_ne!(render(&changed).expect("renders"), original, "a changed cell left the bytes unchanged");

    let mut redated = doc.clone();
    redated.date = redated.date.succ_opt().expect("a next day");
    assert_ne!(render(&redated).expect("renders"), original, "a changed date left the bytes unchanged");
}
