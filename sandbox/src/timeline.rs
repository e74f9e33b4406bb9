//! A book's time index, so a query page over a big book costs O(log n + page) rather than a
//! walk of every order.
//!
//! The index runs parallel to [`crate::state::Book::sequence`] (position `i` is the `i`-th
//! order created): each order's creation time in whole seconds, whether those times never go
//! back (then a window is a slice found by binary search), and the positions of orders still
//! pending — the only ones a query must look at to expire them or count down their
//! scenario-1002 queries, whether or not they fall on the page asked for.

use std::collections::BTreeSet;
use std::ops::Range;

use chrono::{NaiveDateTime, Timelike};

/// Creation times and still-pending positions of a book's orders, in creation order.
#[derive(Debug, Clone)]
pub struct Timeline {
    /// Creation time of each order, whole seconds (QFPay's times are whole seconds).
    secs: Vec<i64>,
    /// Whether `secs` never decreases (orders were created in time order).
    sorted: bool,
    /// Positions of orders that were pending when inserted and were not yet seen settled.
    unsettled: BTreeSet<usize>,
}

impl Default for Timeline {
    fn default() -> Self {
        Self {
            secs: Vec::new(),
            sorted: true,
            unsettled: BTreeSet::new(),
        }
    }
}

/// `t` in whole seconds since the epoch (the fraction dropped).
pub fn whole_seconds(t: NaiveDateTime) -> i64 {
    t.with_nanosecond(0).unwrap_or(t).and_utc().timestamp()
}

impl Timeline {
    /// Records the next order: its creation time and whether it is still pending.
    pub fn push(&mut self, created: NaiveDateTime, pending: bool) {
        let s = whole_seconds(created);
        if self.secs.last().is_some_and(|last| s < *last) {
            self.sorted = false;
        }
        if pending {
            self.unsettled.insert(self.secs.len());
        }
        self.secs.push(s);
    }

    /// How many orders the index holds.
    pub fn len(&self) -> usize {
        self.secs.len()
    }

    /// Whether the index is empty.
    pub fn is_empty(&self) -> bool {
        self.secs.is_empty()
    }

    /// The positions that may hold orders created in `start..=end` (whole seconds), and
    /// whether every position in them does (`true` when the times are in order: the range is
    /// then exact; otherwise it is the whole book and [`Timeline::within`] must be asked).
    pub fn window(&self, start: i64, end: i64) -> (Range<usize>, bool) {
        if self.sorted {
            let lo = self.secs.partition_point(|s| *s < start);
            let hi = self.secs.partition_point(|s| *s <= end).max(lo);
            (lo..hi, true)
        } else {
            (0..self.secs.len(), false)
        }
    }

    /// Whether the order at `pos` was created in `start..=end`.
    pub fn within(&self, pos: usize, start: i64, end: i64) -> bool {
        self.secs
            .get(pos)
            .is_some_and(|s| (start..=end).contains(s))
    }

    /// The still-pending positions inside `range`, newest first.
    pub fn unsettled_in(&self, range: Range<usize>) -> Vec<usize> {
        self.unsettled.range(range).rev().copied().collect()
    }

    /// Forgets that `pos` is pending (it was seen settled: paid, closed, expired...).
    pub fn settled(&mut self, pos: usize) {
        self.unsettled.remove(&pos);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").unwrap()
    }

    #[test]
    fn windows_are_slices_while_in_order() {
        let mut tl = Timeline::default();
        for (i, s) in [
            "2026-01-01 00:00:00.0",
            "2026-01-31 23:59:59.7",
            "2026-02-01 00:00:00.0",
            "2026-02-15 12:00:00.0",
            "2026-02-15 12:00:00.5",
        ]
        .iter()
        .enumerate()
        {
            tl.push(t(s), i == 3);
        }
        assert_eq!(tl.len(), 5);
        let jan = (
            whole_seconds(t("2026-01-01 00:00:00.0")),
            whole_seconds(t("2026-01-31 23:59:59.0")),
        );
        assert_eq!(tl.window(jan.0, jan.1), (0..2, true));
        let feb = (
            whole_seconds(t("2026-02-01 00:00:00.0")),
            whole_seconds(t("2026-02-28 23:59:59.0")),
        );
        assert_eq!(tl.window(feb.0, feb.1), (2..5, true));
        assert_eq!(tl.unsettled_in(2..5), vec![3]);
        assert_eq!(tl.unsettled_in(0..2), Vec::<usize>::new());
        tl.settled(3);
        assert!(tl.unsettled_in(0..5).is_empty());
        // An empty window, and one before everything.
        assert_eq!(tl.window(feb.1 + 1, feb.1 + 10).0.len(), 0);
        assert_eq!(tl.window(0, 10).0, 0..0);
    }

    #[test]
    fn out_of_order_times_fall_back_to_the_whole_book() {
        let mut tl = Timeline::default();
        tl.push(t("2026-03-01 10:00:00.0"), false);
        tl.push(t("2026-01-01 10:00:00.0"), true);
        let (r, exact) = tl.window(0, i64::MAX);
        assert_eq!((r, exact), (0..2, false));
        let jan = whole_seconds(t("2026-01-01 00:00:00.0"));
        assert!(tl.within(1, jan, jan + 86_399));
        assert!(!tl.within(0, jan, jan + 86_399));
        assert!(!tl.within(9, 0, i64::MAX));
        assert_eq!(tl.unsettled_in(0..2), vec![1]);
    }
}
