//! Duplicates removed from a list of hash values in order of first
//! occurrence, with an open-addressing table twice the list's length,
//! which stays in cache: several times cheaper than sorting the list to
//! find them, for the callers that need a set and not an order.

/// A hash value [`keep_first`] can de-duplicate. The default value marks
/// an empty slot of the table, so it is tracked on its own.
pub trait HashValue: Copy + Eq + Default {
    /// 32 well-mixed bits for the slot.
    fn spread(self) -> u32;
}

impl HashValue for u32 {
    #[inline]
    fn spread(self) -> u32 {
        self.wrapping_mul(0x9E37_79B1)
    }
}

impl HashValue for u64 {
    #[inline]
    fn spread(self) -> u32 {
        (self.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) as u32
    }
}

/// Keeps the first of each distinct value of `values`, in their order.
/// `table` is working memory, kept by the caller between calls.
pub fn keep_first<T: HashValue>(values: &mut Vec<T>, table: &mut Vec<T>) {
    let capacity = (values.len() * 2).next_power_of_two().max(16);
    let mask = capacity - 1;
    let shift = 32 - capacity.trailing_zeros();
    table.clear();
    table.resize(capacity, T::default());
    let mut default_seen = false;
    let mut kept = 0;
    for index in 0..values.len() {
        let value = values[index];
        let fresh = if value == T::default() {
            !std::mem::replace(&mut default_seen, true)
        } else {
            let mut slot = (value.spread() >> shift) as usize;
            loop {
                let held = table[slot];
                if held == T::default() {
                    table[slot] = value;
                    break true;
                }
                if held == value {
                    break false;
                }
                slot = (slot + 1) & mask;
            }
        };
        if fresh {
            values[kept] = value;
            kept += 1;
        }
    }
    values.truncate(kept);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Seeded;

    fn first_of_each<T: HashValue>(values: &[T]) -> Vec<T> {
        let mut expected = Vec::new();
        for &value in values {
            if !expected.contains(&value) {
                expected.push(value);
            }
        }
        expected
    }

    #[test]
    fn the_first_of_each_value_is_kept_in_order() {
        let mut random = Seeded::new(11);
        let mut table = Vec::new();
        let mut wide_table = Vec::new();
        for length in [0, 1, 7, 100, 3_000] {
            // few distinct values, the default among them, so most repeat
            let values: Vec<u32> = (0..length)
                .map(|_| [0, 1, u32::MAX, 0x8000_0000][random.below(4)] ^ random.below(40) as u32)
                .collect();
            let mut kept = values.clone();
            keep_first(&mut kept, &mut table);
            assert_eq!(kept, first_of_each(&values), "{length}");
            let wide: Vec<u64> = values.iter().map(|&value| (value as u64) << 20).collect();
            let mut kept = wide.clone();
            keep_first(&mut kept, &mut wide_table);
            assert_eq!(kept, first_of_each(&wide), "{length}");
        }
    }
}
