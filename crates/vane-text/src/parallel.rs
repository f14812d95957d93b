//! Work split among the cores, results kept in input order.

/// The threads worth running CPU-bound work on: the cores, at most 8.
pub fn cores() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |count| count.get())
        .clamp(1, 8)
}

/// `work` applied to every item, in order: the items are cut into as many
/// consecutive runs as there are `states` (each thread's working memory),
/// each run on a thread of its own with its state. One state, or one item,
/// runs on the calling thread. A panic on a thread is resumed here.
pub fn map_in_order<T, S, R>(
    items: &[T],
    states: &mut [S],
    work: impl Fn(&T, &mut S) -> R + Sync,
) -> Vec<R>
where
    T: Sync,
    S: Send,
    R: Send,
{
    let threads = states.len().min(items.len());
    if threads <= 1 {
        let Some(state) = states.first_mut() else {
            return Vec::new();
        };
        return items.iter().map(|item| work(item, state)).collect();
    }
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(items.len().div_ceil(threads))
            .zip(states.iter_mut())
            .map(|(run, state)| {
                scope.spawn(move || run.iter().map(|item| work(item, state)).collect::<Vec<_>>())
            })
            .collect();
        let mut results = Vec::with_capacity(items.len());
        for handle in handles {
            match handle.join() {
                Ok(part) => results.extend(part),
                Err(panic) => std::panic::resume_unwind(panic),
            }
        }
        results
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_input_order_with_each_runs_own_state() {
        let items: Vec<u32> = (0..1_000).collect();
        let mut states = vec![0usize; 3];
        let doubled = map_in_order(&items, &mut states, |item, seen| {
            *seen += 1;
            item * 2
        });
        assert_eq!(
            doubled,
            items.iter().map(|item| item * 2).collect::<Vec<_>>()
        );
        assert_eq!(states, [334, 334, 332]);
        assert!(map_in_order(&[] as &[u32], &mut states, |item, _| *item).is_empty());
        assert_eq!(map_in_order(&[7u32], &mut states, |item, _| *item), [7]);
    }
}
