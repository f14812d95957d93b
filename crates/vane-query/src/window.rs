//! `"a b c"~n`: all tokens of the phrase at distinct positions within one
//! window of (phrase length + n) token positions, in any order (§6, §12).

use vane_text::NormalizedText;

use crate::term::TermPattern;

/// The longest phrase a `~n` window can hold; checked by the parser.
pub(crate) const MAX_WINDOW_TOKENS: usize = 64;

/// Calls `emit(start, end)` for each position `start` that begins a
/// complete window; `end` is the smallest end of one. Only starts within a
/// window's width before one of `anchor_positions` are tried: every
/// complete window contains an occurrence of the anchor token, and the
/// anchor positions are a superset of those (the presearch's hits).
pub(crate) fn find_windows(
    pattern: &TermPattern,
    slop: u32,
    text: &NormalizedText,
    anchor_positions: impl Iterator<Item = u32>,
    scratch: &mut String,
    mut emit: impl FnMut(u32, u32),
) {
    let length = pattern.len();
    if length == 0 || length > MAX_WINDOW_TOKENS || text.tokens.len() < length {
        return;
    }
    let count = text.tokens.len();
    // a window wider than the field is the field: capping keeps a huge `~n`
    // from asking for memory it cannot use
    let width = (length + slop as usize).min(count);
    // which pattern tokens each token matches, for the positions around
    // the current anchor only (`region_start..`): a document-sized table
    // would cost more to clear than the windows cost to check
    let mask_of = |position: usize, scratch: &mut String| {
        let token = &text.tokens[position];
        pattern
            .tokens
            .iter()
            .enumerate()
            .filter(|(_, token_pattern)| token_pattern.matches(text, token, scratch))
            .fold(0u64, |mask, (index, _)| mask | 1 << index)
    };
    let mut region: Vec<u64> = Vec::with_capacity(2 * width);
    let mut region_start = 0;
    let mut owner = Vec::with_capacity(width);
    let mut window = Vec::with_capacity(width);
    let mut next_start = 0;
    for anchor in anchor_positions {
        let anchor = anchor as usize;
        let first = (anchor + 1).saturating_sub(width).max(next_start);
        let last = anchor.min(count - 1);
        if first > last {
            continue;
        }
        // masks for first..(last + width), reusing those already known
        let region_end = count.min(last + width);
        let known = if region.is_empty() || first < region_start {
            0
        } else {
            region.len().saturating_sub(first - region_start)
        };
        let mut fresh: Vec<u64> = if known > 0 {
            region[first - region_start..].to_vec()
        } else {
            Vec::new()
        };
        fresh.extend((first + fresh.len()..region_end).map(|position| mask_of(position, scratch)));
        region = fresh;
        region_start = first;
        for start in first..=last {
            next_start = start + 1;
            if region[start - region_start] == 0 {
                continue;
            }
            let limit = count.min(start + width);
            window.clear();
            window.extend_from_slice(&region[start - region_start..limit - region_start]);
            if !assign(&window, length, &mut owner) {
                continue;
            }
            // The occurrence is the shortest complete window from `start`.
            let end = (length..=window.len())
                .find(|&end| assign(&window[..end], length, &mut owner))
                .unwrap_or(window.len());
            emit(start as u32, (start + end) as u32);
        }
    }
}

/// Whether every pattern token can take a distinct position of the
/// window (Kuhn's augmenting paths).
fn assign(window: &[u64], length: usize, owner: &mut Vec<Option<usize>>) -> bool {
    if window.len() < length {
        return false;
    }
    owner.clear();
    owner.resize(window.len(), None);
    let mut visited = vec![false; window.len()];
    for token in 0..length {
        visited.iter_mut().for_each(|seen| *seen = false);
        if !augment(token, window, owner, &mut visited) {
            return false;
        }
    }
    true
}

fn augment(
    token: usize,
    window: &[u64],
    owner: &mut [Option<usize>],
    visited: &mut [bool],
) -> bool {
    for position in 0..window.len() {
        if window[position] & (1 << token) == 0 || visited[position] {
            continue;
        }
        visited[position] = true;
        if owner[position].is_none_or(|other| augment(other, window, owner, visited)) {
            owner[position] = Some(token);
            return true;
        }
    }
    false
}
