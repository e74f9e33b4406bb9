//! Backoff between attempts.

use std::time::Duration;

use rand::Rng;

/// The delay before retry number `attempt` (0-based): `base · 2^attempt`, capped at `max`,
/// scaled by a random factor in [0.5, 1]; a server's `Retry-After` wins when longer.
pub(crate) fn backoff(
    base: Duration,
    max: Duration,
    attempt: u32,
    retry_after: Option<Duration>,
) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.min(16)).min(max);
    let jitter: f64 = rand::rng().random_range(0.5..=1.0);
    let d = exp.mul_f64(jitter);
    match retry_after {
        Some(r) if r > d => r,
        _ => d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grows_and_caps() {
        let b = Duration::from_millis(100);
        let m = Duration::from_millis(1000);
        for _ in 0..50 {
            let d0 = backoff(b, m, 0, None);
            assert!(d0 >= Duration::from_millis(50) && d0 <= b);
            let d9 = backoff(b, m, 9, None);
            assert!(d9 <= m && d9 >= m / 2);
        }
        assert_eq!(
            backoff(b, m, 0, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
    }
}
