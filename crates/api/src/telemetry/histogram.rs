//! A Prometheus histogram of durations in seconds, with fixed buckets.

/// The upper bounds of the buckets, in seconds (the last, `+Inf`, is implicit).
pub const BUCKETS: [f64; 14] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 60.0];

/// Observations counted per bucket (not cumulative; made cumulative when written).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Histogram {
    /// Observations at or below each bound and above the previous one.
    pub buckets: [u64; BUCKETS.len()],
    /// Sum of the observations, seconds.
    pub sum: f64,
    /// Number of observations.
    pub count: u64,
}

impl Histogram {
    /// Counts one observation.
    pub fn observe(&mut self, seconds: f64) {
        if let Some(i) = BUCKETS.iter().position(|&b| seconds <= b) {
            self.buckets[i] += 1;
        }
        self.sum += seconds;
        self.count += 1;
    }

    /// Writes the `_bucket`, `_sum` and `_count` lines of a series with the given labels (`k="v",…`, may be empty).
    pub fn write(&self, out: &mut String, name: &str, labels: &str) {
        use std::fmt::Write;
        let sep = if labels.is_empty() { "" } else { "," };
        let mut cumulative = 0;
        for (bound, n) in BUCKETS.iter().zip(self.buckets) {
            cumulative += n;
            let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {cumulative}");
        }
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}", self.count);
        let _ = writeln!(out, "{name}_sum{{{labels}}} {}", self.sum);
        let _ = writeln!(out, "{name}_count{{{labels}}} {}", self.count);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative_and_inf_counts_everything() {
        let mut h = Histogram::default();
        for s in [0.0005, 0.003, 0.003, 0.2, 120.0] {
            h.observe(s);
        }
        let mut out = String::new();
        h.write(&mut out, "x", "a=\"1\"");
        assert!(out.contains("x_bucket{a=\"1\",le=\"0.001\"} 1\n"), "{out}");
        assert!(out.contains("x_bucket{a=\"1\",le=\"0.005\"} 3\n"));
        assert!(out.contains("x_bucket{a=\"1\",le=\"0.25\"} 4\n"));
        assert!(out.contains("x_bucket{a=\"1\",le=\"60\"} 4\n"));
        assert!(out.contains("x_bucket{a=\"1\",le=\"+Inf\"} 5\n"));
        assert!(out.contains("x_count{a=\"1\"} 5\n"));
        assert!((h.sum - 120.2065).abs() < 1e-9);
    }
}
