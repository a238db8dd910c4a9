//! Requests first. Counts the figure answers being computed for people and clients, so that background work (the
//! start's catch-up jobs, the change detector's passes) begins only when none is: on two cores a weekly evaluation
//! or twelve reports computed beside the first answer after a restart would take half the machine from it.
//!
//! Background work waits at most a bound ([`Foreground::wait_quiet`]): a steady stream of requests delays it, it does
//! not starve it.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The count of answers being computed for requests, shared by every clone (one per figures service).
#[derive(Debug, Clone, Default)]
pub struct Foreground(Arc<Inner>);

#[derive(Debug, Default)]
struct Inner {
    busy: Mutex<usize>,
    quiet: Condvar,
}

/// One request's answer being computed; dropping it ends it (and wakes background work when it was the last).
#[derive(Debug)]
#[must_use = "the request counts as computing only while this is held"]
pub struct Busy(Arc<Inner>);

impl Foreground {
    /// Marks an answer as being computed for a request until the returned guard is dropped.
    pub fn enter(&self) -> Busy {
        *self.0.busy.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        Busy(self.0.clone())
    }

    /// How many answers are being computed for requests now.
    pub fn busy(&self) -> usize {
        *self.0.busy.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Blocks until no answer is being computed for a request, or `at_most` has passed. Returns whether it found the
    /// foreground quiet (`false`: it gave up waiting, and background work goes ahead beside the requests).
    pub fn wait_quiet(&self, at_most: Duration) -> bool {
        let deadline = Instant::now() + at_most;
        let mut busy = self.0.busy.lock().unwrap_or_else(PoisonError::into_inner);
        while *busy > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            busy = self.0.quiet.wait_timeout(busy, left).unwrap_or_else(PoisonError::into_inner).0;
        }
        true
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        let mut busy = self.0.busy.lock().unwrap_or_else(PoisonError::into_inner);
        *busy = busy.saturating_sub(1);
        if *busy == 0 {
            self.0.quiet.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn background_waits_for_the_last_request() {
        let fg = Foreground::default();
        assert!(fg.wait_quiet(Duration::ZERO), "nothing computing: quiet at once");
        let (a, b) = (fg.enter(), fg.enter());
        assert_eq!(fg.busy(), 2);
        assert!(!fg.wait_quiet(Duration::from_millis(20)), "two requests computing: the wait gives up at its bound");
        let waiter = {
            let fg = fg.clone();
            std::thread::spawn(move || {
                let started = Instant::now();
                (fg.wait_quiet(Duration::from_secs(30)), started.elapsed())
            })
        };
        drop(a);
        std::thread::sleep(Duration::from_millis(50));
        assert!(!waiter.is_finished(), "one request still computing");
        drop(b);
        let (quiet, waited) = waiter.join().unwrap();
        assert!(quiet, "woken by the last request's end");
        assert!(waited < Duration::from_secs(30), "woken, not timed out: {waited:?}");
        assert_eq!(fg.busy(), 0);
    }
}
