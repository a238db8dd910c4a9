//! Reproducible random samples for the provincial spot checks (抽查): the same seed and population always give the
//! same sample, on any machine, so anyone can check a draw by hand.
//!
//! The algorithm, fully specified (see `docs/acceptance.md`):
//!
//! 1. Sort the population by its natural order (company codes: ascending text) and drop repeats.
//! 2. Start a SplitMix64 generator at `state = seed`. Each call adds `0x9E3779B97F4A7C15` to the state (mod 2⁶⁴)
//!    and returns the state mixed: `z ^= z >> 30; z *= 0xBF58476D1CE4E5B9; z ^= z >> 27; z *= 0x94D049BB133111EB;
//!    z ^= z >> 31` (wrapping multiplications).
//! 3. Partial Fisher–Yates, forwards: for `i` in `0..k` (k = min(size, n)), take the next number `r`, let
//!    `j = i + r mod (n − i)`, and swap positions `i` and `j`.
//! 4. The sample is positions `0..k`, in that order (the draw order).

/// A SplitMix64 generator (Steele, Lea and Flood 2014; the reference code by Sebastiano Vigna).
#[derive(Debug, Clone)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator starting at `seed`.
    pub fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64-bit number.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// The largest seed the platform uses: 2⁵³ − 1, so that a seed is exact in JSON numbers read by any client.
pub const MAX_SEED: u64 = (1 << 53) - 1;

/// Draws `size` members of `population` (all of them when `size` is larger), in draw order, reproducibly from
/// `seed`. The population is sorted and deduplicated first, so its given order does not matter.
pub fn draw<T: Ord + Clone>(population: &[T], size: usize, seed: u64) -> Vec<T> {
    let mut pool: Vec<T> = population.to_vec();
    pool.sort();
    pool.dedup();
    let n = pool.len();
    let k = size.min(n);
    let mut rng = SplitMix64::new(seed);
    for i in 0..k {
        // n − i ≥ 1 here, and the remainder is below it, so it fits in usize.
        let span = (n - i) as u64;
        let j = i + (rng.next_u64() % span) as usize;
        pool.swap(i, j);
    }
    pool.truncate(k);
    pool
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_the_reference_outputs() {
        // The first outputs of Vigna's splitmix64.c for seed 1234567.
        let mut g = SplitMix64::new(1_234_567);
        assert_eq!(g.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(g.next_u64(), 3_203_168_211_198_807_973);
        assert_eq!(g.next_u64(), 9_817_491_932_198_370_423);
    }

    #[test]
    fn a_draw_by_hand() {
        // Seed 42 gives 13679457532755275413, 2949826092126892291, 5139283748462763858, 6349198060258255764.
        // n = 10: j0 = 0 + r0 mod 10 = 3 → [d b c a …]; j1 = 1 + r1 mod 9 = 2 → [d c b a …];
        // j2 = 2 + r2 mod 8 = 4 → [d c e a b …]; j3 = 3 + r3 mod 7 = 5 → [d c e f b a …].
        let pop = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"];
        assert_eq!(draw(&pop, 4, 42), ["d", "c", "e", "f"]);
    }

    #[test]
    fn company_codes_fixed_outputs() {
        let yq = ["140300003", "140300001", "140300002"];
        assert_eq!(draw(&yq, 2, 7), ["140300001", "140300002"]);
        assert_eq!(draw(&yq, 3, 0), ["140300002", "140300001", "140300003"]);
        let ty: Vec<String> = (140_100_001..140_100_015).map(|c: u32| c.to_string()).collect();
        assert_eq!(draw(&ty, 5, 20_261_129), ["140100011", "140100009", "140100005", "140100003", "140100006"]);
    }

    #[test]
    fn order_of_the_population_and_repeats_do_not_matter() {
        let a = ["x", "y", "z", "w", "v"];
        let b = ["v", "w", "z", "y", "x", "x"];
        for seed in [0, 1, 99, MAX_SEED, u64::MAX] {
            assert_eq!(draw(&a, 3, seed), draw(&b, 3, seed));
        }
    }

    #[test]
    fn size_is_capped_and_members_are_distinct() {
        let pop = ["a", "b", "c"];
        let mut all = draw(&pop, 10, 5);
        assert_eq!(all.len(), 3);
        all.sort();
        assert_eq!(all, pop);
        assert!(draw(&pop, 0, 5).is_empty());
        assert!(draw::<&str>(&[], 2, 5).is_empty());
    }
}
