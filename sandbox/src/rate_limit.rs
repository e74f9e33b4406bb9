//! The documented rate limit: requests per second and per minute, per app code.

use std::collections::VecDeque;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::config::RateLimit;

/// A sliding-window limiter for one app code.
#[derive(Debug)]
pub struct Limiter {
    limit: RateLimit,
    window: Mutex<VecDeque<Instant>>,
}

impl Limiter {
    /// A limiter enforcing `limit`.
    pub fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            window: Mutex::new(VecDeque::new()),
        }
    }

    /// Counts a request; `false` means it is over the limit (and is not counted).
    pub fn allow(&self) -> bool {
        let now = Instant::now();
        let mut w = crate::state::lock(&self.window);
        while let Some(t) = w.front() {
            if now.duration_since(*t) >= Duration::from_secs(60) {
                w.pop_front();
            } else {
                break;
            }
        }
        if w.len() >= self.limit.per_minute as usize {
            return false;
        }
        let last_second = w
            .iter()
            .rev()
            .take_while(|t| now.duration_since(**t) < Duration::from_secs(1))
            .count();
        if last_second >= self.limit.per_second as usize {
            return false;
        }
        w.push_back(now);
        true
    }

    /// Forgets the history.
    pub fn reset(&self) {
        crate::state::lock(&self.window).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits() {
        let l = Limiter::new(RateLimit {
            per_second: 3,
            per_minute: 5,
        });
        assert!((0..3).all(|_| l.allow()));
        assert!(!l.allow());
        l.reset();
        assert!(l.allow());
    }
}
